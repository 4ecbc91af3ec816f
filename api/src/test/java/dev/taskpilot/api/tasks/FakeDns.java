package dev.taskpilot.api.tasks;

import dev.taskpilot.net.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A resolver for tests that never touches the network: mapped names resolve to the given addresses,
 * every other name does not resolve (which the guard accepts at creation).
 */
final class FakeDns implements HostResolver {

  private final Map<String, List<InetAddress>> addresses = new ConcurrentHashMap<>();

  /** Makes {@code host} resolve to the given address literals. */
  FakeDns map(String host, String... literals) {
    addresses.put(
        host.toLowerCase(Locale.ROOT),
        Arrays.stream(literals)
            .map(
                literal -> {
                  try {
                    return InetAddress.getByName(literal);
                  } catch (UnknownHostException e) {
                    throw new IllegalArgumentException(literal, e);
                  }
                })
            .toList());
    return this;
  }

  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    List<InetAddress> found = addresses.get(host.toLowerCase(Locale.ROOT));
    if (found == null) {
      throw new UnknownHostException(host);
    }
    return found;
  }
}
