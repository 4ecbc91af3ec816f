package dev.taskpilot.activities.publish;

import dev.taskpilot.net.OutboundGuard;
import dev.taskpilot.net.TargetRefusedException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether Taskpilot may talk to a git remote, right before it does: http(s) remotes pass
 * the SSRF guard's send-time check, ssh remotes ({@code ssh://host/...} or {@code user@host:path})
 * its host check, local paths and {@code file://} remotes must lie under one of {@code
 * taskpilot.publish.git.local-remote-roots}; any other transport is refused.
 */
@Singleton
public class GitRemotes {
  private static final Pattern SCP_LIKE =
      Pattern.compile("^(?:[^@/:\\s]+@)?(\\[[^\\]/]+\\]|[^@/:\\[\\]\\s]+):(?!//).*$");

  // git's "<transport>::<address>" form, which can run commands (ext::).
  private static final Pattern TRANSPORT_SYNTAX = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*::");

  private final OutboundGuard guard;
  private final List<Path> localRoots;

  public GitRemotes(OutboundGuard guard, GitPublishConfig config) {
    this.guard = guard;
    this.localRoots = config.localRemoteRoots().stream().map(GitRemotes::real).toList();
  }

  /**
   * A remote git may use.
   *
   * @param argument what to hand git as the repository
   * @param protocols the only transports git may use for it ({@code GIT_ALLOW_PROTOCOL})
   */
  record Remote(String argument, String protocols) {}

  /**
   * Checks the remote now; refuses it for good, or fails for now when its host does not resolve.
   */
  Remote check(String remote) throws DeliveryFailure {
    if (remote == null
        || remote.isBlank()
        || remote.startsWith("-")
        || TRANSPORT_SYNTAX.matcher(remote).find()
        || remote.chars().anyMatch(Character::isISOControl)) {
      throw DeliveryFailure.refused("the git remote is not a valid remote");
    }
    String lower = remote.toLowerCase(Locale.ROOT);
    try {
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        URI uri = uri(remote);
        if (uri.getRawUserInfo() != null) {
          throw DeliveryFailure.refused("the git remote must not carry credentials");
        }
        guard.checkAtSend(uri);
        return new Remote(remote, uri.getScheme().toLowerCase(Locale.ROOT));
      }
      if (lower.startsWith("ssh://")) {
        URI uri = uri(remote);
        if (uri.getHost() == null) {
          throw DeliveryFailure.refused("the ssh remote names no host");
        }
        guard.checkHostAtCreation(uri.getHost());
        return new Remote(remote, "ssh");
      }
      if (lower.startsWith("file://")) {
        return local(Path.of(uri(remote)), remote);
      }
      if (remote.startsWith("/")) {
        return local(Path.of(remote), remote);
      }
      Matcher scp = SCP_LIKE.matcher(remote);
      if (scp.matches()) {
        String host = scp.group(1);
        if (host.startsWith("[")) {
          host = host.substring(1, host.length() - 1);
        }
        guard.checkHostAtCreation(host);
        return new Remote(remote, "ssh");
      }
    } catch (TargetRefusedException e) {
      throw DeliveryFailure.refused("the git remote is refused (" + e.reason() + ")");
    } catch (UncheckedIOException e) {
      throw DeliveryFailure.failed("the git remote's host does not resolve: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw DeliveryFailure.refused("the git remote is not a valid remote");
    }
    throw DeliveryFailure.refused("the git remote must be an http(s), ssh or local (file) remote");
  }

  private Remote local(Path path, String remote) throws DeliveryFailure {
    if (localRoots.isEmpty()) {
      throw DeliveryFailure.refused(
          "local git remotes are not allowed (taskpilot.publish.git.local-remote-roots is empty)");
    }
    Path resolved = real(path);
    if (localRoots.stream()
        .noneMatch(root -> resolved.startsWith(root) && !resolved.equals(root))) {
      throw DeliveryFailure.refused(
          "the local git remote is outside taskpilot.publish.git.local-remote-roots");
    }
    // git gets the checked path itself, never a spelling it could read differently.
    return new Remote(resolved.toString(), "file");
  }

  private static URI uri(String remote) throws DeliveryFailure {
    try {
      return new URI(remote);
    } catch (URISyntaxException e) {
      throw DeliveryFailure.refused("the git remote is not a valid URL");
    }
  }

  /** The path with symbolic links resolved as far as it exists, the rest normalised. */
  private static Path real(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    List<Path> missing = new ArrayList<>();
    while (existing != null && !Files.exists(existing)) {
      missing.add(0, existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      Path resolved = existing.toRealPath();
      for (Path part : missing) {
        resolved = resolved.resolve(part);
      }
      return resolved;
    } catch (IOException e) {
      return absolute;
    }
  }
}
