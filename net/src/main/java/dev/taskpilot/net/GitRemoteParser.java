package dev.taskpilot.net;

import dev.taskpilot.net.TargetRefusedException.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parser behind {@link GitRemote#parse}. */
final class GitRemoteParser {

  /** {@code [user@]host:path}: a name or IPv4 address, or a bracketed IPv6 address, as host. */
  private static final Pattern SCP_LIKE =
      Pattern.compile("^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):(?!//)(.+)$");

  /** git's {@code <transport>::<address>} form, which can run commands ({@code ext::}). */
  private static final Pattern TRANSPORT_SYNTAX = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*::");

  private static final String NO_CREDENTIALS =
      "a git remote must not carry credentials; the workers' git configuration supplies them";

  private GitRemoteParser() {}

  static GitRemote parse(String remote) {
    if (remote == null || remote.isBlank()) {
      throw invalid("a git remote is required");
    }
    if (remote.startsWith("-")) {
      throw invalid("a git remote must not start with '-'");
    }
    if (remote.chars().anyMatch(Character::isISOControl)) {
      throw invalid("a git remote must not contain control characters");
    }
    if (TRANSPORT_SYNTAX.matcher(remote).find()) {
      throw invalid("git's <transport>::<address> remotes are not allowed");
    }
    String lower = remote.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return http(remote);
    }
    if (lower.startsWith("ssh://")) {
      return sshUrl(remote);
    }
    if (lower.startsWith("file://")) {
      try {
        return new GitRemote.Local(Path.of(uri(remote)));
      } catch (IllegalArgumentException e) {
        // An authority, a query or a fragment: not a plain local file URL.
        throw invalid("the git remote is not a valid file:// URL");
      }
    }
    if (remote.startsWith("/")) {
      try {
        return new GitRemote.Local(Path.of(remote));
      } catch (IllegalArgumentException e) {
        throw invalid("the git remote is not a valid path");
      }
    }
    Matcher scp = SCP_LIKE.matcher(remote);
    if (!scp.matches()) {
      throw invalid(
          "a git remote must be an https:// or ssh:// URL, user@host:path, or a local path");
    }
    return ssh(scp.group(1));
  }

  private static GitRemote http(String remote) {
    if (Urls.hasCredentials(remote)) {
      throw new TargetRefusedException(Reason.CREDENTIALS, NO_CREDENTIALS);
    }
    return new GitRemote.Http(uri(remote));
  }

  private static GitRemote sshUrl(String remote) {
    URI uri = uri(remote);
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null && userInfo.contains(":")) {
      throw new TargetRefusedException(Reason.CREDENTIALS, NO_CREDENTIALS);
    }
    return ssh(uri.getHost());
  }

  private static GitRemote ssh(String host) {
    if (host == null || host.isBlank()) {
      throw invalid("the git remote names no host");
    }
    String bare =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      HostParser.parse(bare);
    } catch (TargetRefusedException e) {
      throw invalid("the git remote's " + e.getMessage());
    }
    return new GitRemote.Ssh(bare);
  }

  private static URI uri(String remote) {
    try {
      return new URI(remote);
    } catch (URISyntaxException e) {
      // The reason alone: the exception's message repeats the whole remote.
      throw invalid("the git remote is not a valid URL: " + e.getReason());
    }
  }

  private static TargetRefusedException invalid(String message) {
    return new TargetRefusedException(Reason.INVALID, message);
  }
}
