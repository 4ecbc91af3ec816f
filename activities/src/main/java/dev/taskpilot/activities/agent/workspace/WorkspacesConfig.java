package dev.taskpilot.activities.agent.workspace;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;

/**
 * Where agent workspaces live, configured under {@code taskpilot.workspaces}.
 *
 * @param root the directory every workspace must resolve into; defaults to {@code
 *     ~/.taskpilot/workspaces}
 */
@ConfigurationProperties("taskpilot.workspaces")
public record WorkspacesConfig(@Nullable Path root) {

  /** Fills in the default root. */
  public WorkspacesConfig {
    if (root == null) {
      root = Path.of(System.getProperty("user.home"), ".taskpilot", "workspaces");
    }
  }
}
