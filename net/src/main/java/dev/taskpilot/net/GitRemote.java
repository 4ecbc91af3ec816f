package dev.taskpilot.net;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A git remote in one of the forms Taskpilot pushes to: an http(s) URL without user information, an
 * ssh remote ({@code ssh://[user@]host[:port]/path} without a password, or scp-like {@code
 * [user@]host:path}), or a local repository ({@code file://} URL or absolute path).
 *
 * <p>{@link #parse} checks the form only. Whether Taskpilot may reach the host is for {@link
 * OutboundGuard} ({@code checkAtCreation}/{@code checkAtSend} for http(s), {@code
 * checkHostAtCreation} for ssh), whether a local path is acceptable for {@link LocalRoots}.
 */
public sealed interface GitRemote {

  /**
   * Parses a remote as written, refusing every other form, including git's {@code
   * <transport>::<address>} syntax (which can run commands), a leading {@code -} (which git could
   * read as an option) and control characters. Messages are sentences fit to show a user; they
   * never repeat the remote, which may carry a secret.
   *
   * @throws TargetRefusedException CREDENTIALS for user information in an http(s) remote or a
   *     password in an ssh one, INVALID for anything malformed or of another form
   */
  static GitRemote parse(String remote) {
    return GitRemoteParser.parse(remote);
  }

  /**
   * An http or https remote.
   *
   * @param uri the remote as a URI, without user information
   */
  record Http(URI uri) implements GitRemote {

    /** {@code http} or {@code https}, lower case. */
    public String scheme() {
      return uri.getScheme().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * An ssh remote, as a URL or scp-like.
   *
   * @param host the host, a name or an address (IPv6 without brackets); syntactically valid
   */
  record Ssh(String host) implements GitRemote {}

  /**
   * A repository on this machine.
   *
   * @param path the absolute path as written (a {@code file://} URL decoded), not yet normalised
   */
  record Local(Path path) implements GitRemote {}
}
