package dev.taskpilot.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A resolver for tests: names map to addresses, others are unknown; counts lookups. */
final class MapHostResolver implements HostResolver {

  private final Map<String, List<InetAddress>> addresses = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();

  /** Makes {@code host} resolve to the given addresses (literals) from now on. */
  MapHostResolver map(String host, String... literals) {
    addresses.put(
        host,
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

  int lookups() {
    return lookups.get();
  }

  @Override
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    lookups.incrementAndGet();
    List<InetAddress> found = addresses.get(host);
    if (found == null) {
      throw new UnknownHostException(host);
    }
    return found;
  }
}
