package dev.taskpilot.net;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * Outbound network settings.
 *
 * @param allowedHosts host names and CIDRs that user-supplied URLs may reach although they are
 *     loopback, private or otherwise refused (tests name their loopback servers here)
 */
@ConfigurationProperties("taskpilot.network")
public record NetworkConfig(@Nullable List<String> allowedHosts) {
  public NetworkConfig {
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
  }
}
