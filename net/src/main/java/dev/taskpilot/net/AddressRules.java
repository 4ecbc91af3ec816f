package dev.taskpilot.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which addresses user-supplied URLs may not reach: everything that is not a public unicast
 * address, including IPv6 forms that embed a refused IPv4 address.
 */
final class AddressRules {

  private static final byte[] METADATA_V4 = {(byte) 169, (byte) 254, (byte) 169, (byte) 254};

  private AddressRules() {}

  /** Why the address is refused ("a loopback address"), or empty when it is a public address. */
  static Optional<String> refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 4 ? ipv4(bytes) : ipv6(bytes);
  }

  private static Optional<String> ipv4(byte[] b) {
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 0) {
      return Optional.of("an unspecified (0.0.0.0/8) address");
    }
    if (first == 127) {
      return Optional.of("a loopback address");
    }
    if (first == 10 || (first == 172 && (second & 0xf0) == 16) || (first == 192 && second == 168)) {
      return Optional.of("a private address");
    }
    if (first == 169 && second == 254) {
      return Optional.of(
          Arrays.equals(b, METADATA_V4)
              ? "a link-local address (the cloud metadata endpoint)"
              : "a link-local address");
    }
    if (first == 100 && (second & 0xc0) == 64) {
      return Optional.of("a shared (CGNAT) address");
    }
    if ((first & 0xf0) == 224) {
      return Optional.of("a multicast address");
    }
    if (Arrays.equals(b, new byte[] {-1, -1, -1, -1})) {
      return Optional.of("the broadcast address");
    }
    if ((first & 0xf0) == 240) {
      return Optional.of("a reserved address");
    }
    return Optional.empty();
  }

  private static Optional<String> ipv6(byte[] b) {
    if (isZero(b, 0, 10) && (b[10] & b[11] & 0xff) == 0xff) {
      return embedded(b, 12, "an IPv4-mapped address");
    }
    if (isZero(b, 0, 12)) {
      if (isZero(b, 12, 16)) {
        return Optional.of("the unspecified address");
      }
      if (isZero(b, 12, 15) && b[15] == 1) {
        return Optional.of("a loopback address");
      }
      return embedded(b, 12, "an IPv4-compatible address");
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 0
        && second == 0x64
        && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b
        && isZero(b, 4, 12)) {
      return embedded(b, 12, "a NAT64 address");
    }
    if (first == 0x20 && second == 0x02) {
      return embedded(b, 2, "a 6to4 address");
    }
    if (first == 0xfe && (second & 0xc0) == 0x80) {
      return Optional.of("a link-local address");
    }
    if (first == 0xfe && (second & 0xc0) == 0xc0) {
      return Optional.of("a site-local address");
    }
    if ((first & 0xfe) == 0xfc) {
      // fd00:ec2::254 is the EC2 metadata endpoint over IPv6.
      boolean metadata =
          first == 0xfd
              && second == 0
              && (b[2] & 0xff) == 0x0e
              && (b[3] & 0xff) == 0xc2
              && isZero(b, 4, 14)
              && (b[14] & 0xff) == 0x02
              && (b[15] & 0xff) == 0x54;
      return Optional.of(
          metadata
              ? "a unique-local address (the cloud metadata endpoint)"
              : "a unique-local address");
    }
    if (first == 0xff) {
      return Optional.of("a multicast address");
    }
    return Optional.empty();
  }

  private static Optional<String> embedded(byte[] b, int offset, String kind) {
    byte[] ipv4 = Arrays.copyOfRange(b, offset, offset + 4);
    return ipv4(ipv4).map(why -> kind + " embedding " + dotted(ipv4) + ", " + why);
  }

  private static String dotted(byte[] ipv4) {
    try {
      return InetAddress.getByAddress(ipv4).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
