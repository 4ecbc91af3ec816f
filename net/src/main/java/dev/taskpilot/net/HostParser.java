package dev.taskpilot.net;

import dev.taskpilot.net.TargetRefusedException.Reason;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a host the way permissive resolvers do, so that no spelling of an address slips past the
 * guard: {@code [IPv6]} or bare IPv6, IPv4 with inet_aton semantics, or a name.
 */
final class HostParser {

  /** A last label that makes the host an IPv4 address (the WHATWG URL "ends in a number" rule). */
  private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");

  /** One inet_aton part: hex, octal (leading 0) or decimal. */
  private static final Pattern IPV4_PART = Pattern.compile("0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*");

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9a-f:.]+");

  private HostParser() {}

  /**
   * Parses a host: {@code [IPv6]} or bare IPv6 (a zone is ignored), an IPv4 address of one to four
   * parts, each decimal, octal with a leading 0 or hex with 0x, or a host name.
   *
   * @throws TargetRefusedException INVALID when it is none of these
   */
  static ParsedHost parse(String written) {
    if (written == null || written.isBlank()) {
      throw invalid("host is empty");
    }
    String host = written.toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      return new ParsedHost.Literal(
          written, ipv6(written, host.substring(1, host.length() - 1)), true);
    }
    if (host.contains(":")) {
      return new ParsedHost.Literal(written, ipv6(written, host), true);
    }
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (NUMERIC_LABEL.matcher(name.substring(name.lastIndexOf('.') + 1)).matches()) {
      InetAddress address = ipv4(written, name);
      return new ParsedHost.Literal(written, address, written.equals(address.getHostAddress()));
    }
    if (!isName(name)) {
      throw invalid("host " + written + " is not a valid host name");
    }
    return new ParsedHost.Name(written, name);
  }

  private static boolean isName(String name) {
    if (name.length() > 253) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress ipv6(String written, String literal) {
    // A zone (%eth0, or %25eth0 in a URL) does not change what kind of address it is.
    int zone = literal.indexOf('%');
    String address = zone < 0 ? literal : literal.substring(0, zone);
    if (!address.contains(":") || !IPV6_CHARACTERS.matcher(address).matches()) {
      throw invalid("host " + written + " is not a valid IPv6 address");
    }
    try {
      // A bracketed literal is parsed, never looked up; an IPv4-mapped one becomes an Inet4Address.
      return InetAddress.getByName("[" + address + "]");
    } catch (UnknownHostException e) {
      throw invalid("host " + written + " is not a valid IPv6 address");
    }
  }

  private static InetAddress ipv4(String written, String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      throw invalid("host " + written + " is not a valid IPv4 address");
    }
    long value = 0;
    for (int i = 0; i < parts.length; i++) {
      // The last part fills all remaining bytes: 127.1 is 127.0.0.1.
      int bits = i == parts.length - 1 ? 8 * (5 - parts.length) : 8;
      if (!IPV4_PART.matcher(parts[i]).matches()) {
        throw invalid("host " + written + " is not a valid IPv4 address");
      }
      BigInteger part = ipv4Part(parts[i]);
      if (part.bitLength() > bits) {
        throw invalid("host " + written + " is not a valid IPv4 address");
      }
      value = (value << bits) | part.longValue();
    }
    try {
      return InetAddress.getByAddress(ByteBuffer.allocate(4).putInt((int) value).array());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static BigInteger ipv4Part(String part) {
    if (part.startsWith("0x")) {
      return part.length() == 2 ? BigInteger.ZERO : new BigInteger(part.substring(2), 16);
    }
    if (part.length() > 1 && part.startsWith("0")) {
      return new BigInteger(part.substring(1), 8);
    }
    return new BigInteger(part, 10);
  }

  private static TargetRefusedException invalid(String message) {
    return new TargetRefusedException(Reason.INVALID, message);
  }
}
