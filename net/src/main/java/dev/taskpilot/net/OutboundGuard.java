package dev.taskpilot.net;

import dev.taskpilot.net.TargetRefusedException.Reason;
import io.micronaut.context.annotation.Context;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSRF guard for every outgoing URL a user supplies: refuses loopback, private, link-local and
 * other non-public addresses in any spelling, unless {@code taskpilot.network.allowed-hosts} lists
 * them. Created at startup ({@link Context}) so that an invalid allow-list stops the application.
 * Messages name the host, never the URL, whose query could carry a token.
 */
@Context
public class OutboundGuard {

  /** The longest URL accepted. */
  public static final int MAX_URL_LENGTH = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(OutboundGuard.class);

  private final AllowList allowList;
  private final HostResolver resolver;

  /**
   * @throws io.micronaut.context.exceptions.ConfigurationException when an allow-list entry is
   *     neither a host name, an address nor a CIDR
   */
  public OutboundGuard(NetworkConfig config, HostResolver resolver) {
    this.allowList = AllowList.of(config.allowedHosts());
    this.resolver = resolver;
  }

  /**
   * Checks a URL when a task is created: syntax (http/https only, at most 2,000 characters, no
   * credentials, a host), then the host: a literal address in any spelling (decimal, octal, hex,
   * IPv4-mapped IPv6) and, if the name resolves now, every address it resolves to. A name that does
   * not resolve yet is accepted (it is checked again at send time).
   *
   * @return the parsed URI
   * @throws TargetRefusedException INVALID or NOT_ALLOWED
   */
  public URI checkAtCreation(String url) {
    if (url == null || url.isBlank()) {
      throw invalid("URL is empty");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw invalid("URL is longer than 2,000 characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      // The reason alone: the exception's message repeats the whole URL.
      throw invalid("URL is malformed: " + e.getReason() + " at index " + e.getIndex());
    }
    checkHost(hostOf(uri), false);
    return uri;
  }

  /**
   * Checks a host (of a git remote over ssh, say) like {@link #checkAtCreation(String)} checks a
   * URL's host; an IPv6 address may be bracketed or not.
   *
   * @throws TargetRefusedException INVALID or NOT_ALLOWED
   */
  public void checkHostAtCreation(String host) {
    checkHost(HostParser.parse(host), false);
  }

  /**
   * Checks a URL right before sending: re-resolves the host and refuses when any A/AAAA address is
   * refused and not allowed by configuration.
   *
   * @throws TargetRefusedException NOT_ALLOWED (or INVALID)
   * @throws java.io.UncheckedIOException when the host cannot be resolved (a transient failure)
   */
  public void checkAtSend(URI uri) {
    try {
      checkHost(hostOf(uri), true);
    } catch (TargetRefusedException e) {
      LOG.warn("Refused to send to host {}: {}", uri.getHost(), e.getMessage());
      throw e;
    }
  }

  private ParsedHost hostOf(URI uri) {
    if (!uri.isAbsolute()) {
      throw invalid("URL is not absolute");
    }
    if (!uri.getScheme().equalsIgnoreCase("http") && !uri.getScheme().equalsIgnoreCase("https")) {
      throw invalid("URL scheme must be http or https");
    }
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw invalid("URL has no host");
    }
    if (uri.getRawUserInfo() != null || authority.contains("@")) {
      throw invalid("URL must not contain credentials");
    }
    return uri.getHost() != null ? HostParser.parse(uri.getHost()) : unparsedHost(authority);
  }

  /**
   * java.net.URI leaves spellings such as {@code 127.1} or {@code 0x7f.0.0.1} unparsed (no host),
   * while other clients read them as addresses: refused ones are NOT_ALLOWED, the rest INVALID.
   */
  private ParsedHost unparsedHost(String authority) {
    String written =
        authority.startsWith("[")
            ? authority.substring(0, authority.indexOf(']') + 1)
            : authority.split(":", 2)[0];
    if (HostParser.parse(written) instanceof ParsedHost.Literal literal) {
      checkLiteral(literal);
    }
    throw invalid("URL authority " + authority + " is not a valid host and port");
  }

  private void checkHost(ParsedHost host, boolean atSend) {
    switch (host) {
      case ParsedHost.Literal literal -> checkLiteral(literal);
      case ParsedHost.Name name -> checkName(name, atSend);
    }
  }

  private void checkLiteral(ParsedHost.Literal literal) {
    if (!allowList.allowsAddress(literal.address())) {
      Optional<String> why = AddressRules.refusal(literal.address());
      if (why.isPresent()) {
        throw notAllowed(literal, why.get());
      }
    }
    if (!literal.canonical()) {
      // Allowed, but clients disagree on what it means: 0177.0.0.1 is 127.0.0.1 or 177.0.0.1.
      throw invalid(
          "host "
              + literal.written()
              + " is an unusual spelling of "
              + literal.address().getHostAddress()
              + "; write that instead");
    }
  }

  private void checkName(ParsedHost.Name name, boolean atSend) {
    if (allowList.allowsName(name.normalized())) {
      return;
    }
    if (name.isLocalhost()) {
      throw new TargetRefusedException(
          Reason.NOT_ALLOWED, "host " + name.written() + " is this machine");
    }
    List<InetAddress> addresses;
    try {
      addresses = resolver.resolve(name.written());
      if (addresses.isEmpty()) {
        throw new UnknownHostException(name.written());
      }
    } catch (UnknownHostException e) {
      if (atSend) {
        throw new UncheckedIOException("cannot resolve host " + name.written(), e);
      }
      return;
    }
    for (InetAddress address : addresses) {
      Optional<String> why = AddressRules.refusal(address);
      if (why.isPresent() && !allowList.allowsAddress(address)) {
        throw new TargetRefusedException(
            Reason.NOT_ALLOWED,
            "host "
                + name.written()
                + " resolves to "
                + address.getHostAddress()
                + ", "
                + why.get());
      }
    }
  }

  private static TargetRefusedException notAllowed(ParsedHost.Literal literal, String why) {
    String address = literal.address().getHostAddress();
    return new TargetRefusedException(
        Reason.NOT_ALLOWED,
        literal.written().equalsIgnoreCase(address)
            ? "host " + address + " is " + why
            : "host " + literal.written() + " is " + address + ", " + why);
  }

  private static TargetRefusedException invalid(String message) {
    return new TargetRefusedException(Reason.INVALID, message);
  }
}
