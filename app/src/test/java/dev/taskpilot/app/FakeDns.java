package dev.taskpilot.app;

import dev.taskpilot.net.HostResolver;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A resolver for tests that need a host name resolving to a chosen address (for example one that
 * resolves to 127.0.0.1, or changes its answer between creation and sending): names under {@code
 * .rebind.test} answer from {@link #ANSWERS}, {@code 127.0.0.1} unless a test set another address;
 * every other name resolves as usual. Active when {@value #ENABLED} is true.
 */
@Singleton
@Replaces(HostResolver.class)
@Requires(property = FakeDns.ENABLED, value = "true")
public class FakeDns implements HostResolver {
  public static final String ENABLED = "taskpilot.test.fake-dns";
  public static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();

  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".rebind.test")) {
      return List.of(InetAddress.getByName(ANSWERS.getOrDefault(name, "127.0.0.1")));
    }
    return List.of(InetAddress.getAllByName(host));
  }
}
