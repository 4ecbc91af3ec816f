package dev.taskpilot.activities.agent.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hosts a sandboxed agent may reach through the worker's proxy ({@code
 * taskpilot.agents.<name>.allowed-hosts}): host names, {@code *.example.com} for every name under a
 * domain, each with {@code :port} (default 443). Only names are listed, never addresses: what a
 * name resolves to must still be a public address.
 */
public record AllowedHosts(List<Entry> entries) {

  /** The port of an entry that names none: HTTPS. */
  public static final int DEFAULT_PORT = 443;

  private static final Pattern ENTRY =
      Pattern.compile(
          "(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*)\\.?(:([0-9]{1,5}))?");

  /** No host at all: the agent has no network. */
  public static final AllowedHosts NONE = new AllowedHosts(List.of());

  /**
   * One entry.
   *
   * @param name the host name, lower case, without a trailing dot
   * @param subdomains whether it stands for every name under {@code name} (written {@code *.name})
   * @param port the one port allowed
   */
  public record Entry(String name, boolean subdomains, int port) {
    boolean allows(String host, int wanted) {
      return port == wanted && (subdomains ? host.endsWith("." + name) : host.equals(name));
    }

    @Override
    public String toString() {
      return (subdomains ? "*." : "") + name + ":" + port;
    }
  }

  public AllowedHosts {
    entries = List.copyOf(entries);
  }

  /**
   * Parses the configured entries.
   *
   * @throws IllegalArgumentException naming the first entry that is not a host name with an
   *     optional port, or {@code *.} and a domain of at least two labels
   */
  public static AllowedHosts parse(List<String> written) {
    List<Entry> entries = new ArrayList<>();
    for (String entry : written) {
      entries.add(entry(entry));
    }
    return new AllowedHosts(entries);
  }

  private static Entry entry(String written) {
    String text = written == null ? "" : written.strip().toLowerCase(Locale.ROOT);
    Matcher matcher = ENTRY.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + written + "' is not a host name, *.domain or either with :port");
    }
    boolean subdomains = matcher.group(1) != null;
    String name = matcher.group(2);
    if (subdomains && !name.contains(".")) {
      throw new IllegalArgumentException("'" + written + "' allows a whole top-level domain");
    }
    if (name.substring(name.lastIndexOf('.') + 1).matches("[0-9]+|0x[0-9a-f]*")) {
      throw new IllegalArgumentException(
          "'" + written + "' is an address; list the host's name instead");
    }
    int port = matcher.group(7) == null ? DEFAULT_PORT : Integer.parseInt(matcher.group(7));
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("'" + written + "' has no valid port");
    }
    return new Entry(name, subdomains, port);
  }

  /** Whether no host is allowed. */
  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * The entry that allows {@code host} (as a client wrote it in its request) on {@code port}, empty
   * when none does. A host is compared as a name, lower case and without a trailing dot; an address
   * literal is never allowed.
   */
  public Optional<Entry> find(String host, int port) {
    String name = host.toLowerCase(Locale.ROOT);
    String normalized = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return entries.stream().filter(entry -> entry.allows(normalized, port)).findFirst();
  }
}
