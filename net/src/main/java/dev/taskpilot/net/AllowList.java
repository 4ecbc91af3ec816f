package dev.taskpilot.net;

import io.micronaut.context.exceptions.ConfigurationException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The parsed {@code taskpilot.network.allowed-hosts}: host names and address ranges. */
final class AllowList {

  private final Set<String> names;
  private final List<Cidr> ranges;

  private AllowList(Set<String> names, List<Cidr> ranges) {
    this.names = Set.copyOf(names);
    this.ranges = List.copyOf(ranges);
  }

  /**
   * Parses entries: CIDRs ({@code 127.0.0.0/8}, {@code ::1/128}), single addresses or host names;
   * case-insensitive, a trailing dot ignored, blank entries skipped.
   *
   * @throws ConfigurationException naming the first entry that is none of these
   */
  static AllowList of(List<String> entries) {
    Set<String> names = new HashSet<>();
    List<Cidr> ranges = new ArrayList<>();
    for (String entry : entries) {
      if (entry == null || entry.isBlank()) {
        continue;
      }
      String trimmed = entry.strip();
      try {
        int slash = trimmed.indexOf('/');
        if (slash >= 0) {
          ranges.add(cidr(trimmed, slash));
        } else {
          switch (HostParser.parse(trimmed)) {
            case ParsedHost.Literal literal -> ranges.add(Cidr.of(literal.address(), -1));
            case ParsedHost.Name name -> names.add(name.normalized());
          }
        }
      } catch (TargetRefusedException | IllegalArgumentException e) {
        throw new ConfigurationException(
            "taskpilot.network.allowed-hosts: '"
                + entry
                + "' is not a host name, an IP address or a CIDR such as 10.0.0.0/8 ("
                + e.getMessage()
                + ")");
      }
    }
    return new AllowList(names, ranges);
  }

  private static Cidr cidr(String entry, int slash) {
    if (!(HostParser.parse(entry.substring(0, slash)) instanceof ParsedHost.Literal literal)) {
      throw new IllegalArgumentException("a CIDR needs an address before the /");
    }
    String prefix = entry.substring(slash + 1);
    if (!prefix.matches("[0-9]{1,3}")) {
      throw new IllegalArgumentException("the prefix length is not a number");
    }
    return Cidr.of(literal.address(), Integer.parseInt(prefix));
  }

  /** Whether the host name (lower case, without trailing dot) is listed. */
  boolean allowsName(String normalizedName) {
    return names.contains(normalizedName.toLowerCase(Locale.ROOT));
  }

  /** Whether the address lies in a listed range. */
  boolean allowsAddress(InetAddress address) {
    return ranges.stream().anyMatch(range -> range.contains(address));
  }

  /** An address range; prefix bits of the network beyond the prefix length are ignored. */
  private record Cidr(InetAddress network, int prefixLength) {

    static Cidr of(InetAddress network, int prefixLength) {
      int bits = network.getAddress().length * 8;
      if (prefixLength > bits) {
        throw new IllegalArgumentException("the prefix length exceeds " + bits);
      }
      return new Cidr(network, prefixLength < 0 ? bits : prefixLength);
    }

    boolean contains(InetAddress address) {
      byte[] range = network.getAddress();
      byte[] candidate = address.getAddress();
      if (range.length != candidate.length) {
        return false;
      }
      for (int bit = 0; bit < prefixLength; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((range[bit / 8] & mask) != (candidate[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
