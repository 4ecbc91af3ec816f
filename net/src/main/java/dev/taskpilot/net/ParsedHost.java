package dev.taskpilot.net;

import java.net.InetAddress;

/** A host as written in a URL or an ssh remote: an address literal in some spelling, or a name. */
sealed interface ParsedHost {

  /** The host as written, for messages. */
  String written();

  /**
   * An address literal.
   *
   * @param canonical whether it is written as the JDK writes it (dotted decimal, or any IPv6 form),
   *     so that every client reads it as the same address
   */
  record Literal(String written, InetAddress address, boolean canonical) implements ParsedHost {}

  /**
   * A host name.
   *
   * @param normalized lower case, without a trailing dot
   */
  record Name(String written, String normalized) implements ParsedHost {

    /** Whether it is {@code localhost} or a name under it, which always mean this machine. */
    boolean isLocalhost() {
      return normalized.equals("localhost") || normalized.endsWith(".localhost");
    }
  }
}
