package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.net.OutboundGuard;
import dev.taskpilot.net.TargetRefusedException;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which git remotes a task may push to: https and ssh remotes whose host the SSRF guard accepts,
 * without credentials in them (the workers' own git configuration supplies those), and local paths
 * only under {@code taskpilot.publish.git.local-remote-roots}.
 */
@Singleton
public class GitRemotes {
  private static final Pattern SCP_LIKE =
      Pattern.compile("^(?:[A-Za-z0-9._-]+@)?([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):(?!//)(.+)$");
  private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

  private final OutboundGuard guard;
  private final List<Path> localRoots;

  public GitRemotes(
      OutboundGuard guard,
      @Property(name = "taskpilot.publish.git.local-remote-roots") @Nullable
          List<String> localRoots) {
    this.guard = guard;
    this.localRoots =
        localRoots == null
            ? List.of()
            : localRoots.stream().map(root -> Path.of(root).toAbsolutePath().normalize()).toList();
  }

  /** Refuses a remote a task may not push to, with a 4xx {@link ApiException}. */
  public void check(String remote) {
    String lower = remote.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      if (hasCredentials(remote)) {
        throw credentials();
      }
      try {
        guard.checkAtCreation(remote);
      } catch (TargetRefusedException e) {
        throw refusal("git remote", e);
      }
    } else if (lower.startsWith("ssh://")) {
      URI uri = parse(remote);
      if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
        throw credentials();
      }
      checkHost(uri.getHost(), remote);
    } else if (lower.startsWith("file://") || remote.startsWith("/")) {
      checkLocal(lower.startsWith("file://") ? parse(remote).getPath() : remote);
    } else {
      Matcher scp = SCP_LIKE.matcher(remote);
      if (!scp.matches()) {
        throw new ApiException(
            ErrorCode.VALIDATION_FAILED,
            "a git remote must be an https:// or ssh:// URL, user@host:path, or a local path");
      }
      String host = scp.group(1);
      checkHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, remote);
    }
  }

  /** Whether a branch name is one git accepts and we are willing to push. */
  public static boolean isBranchName(String branch) {
    return BRANCH.matcher(branch).matches()
        && !branch.startsWith("/")
        && !branch.startsWith("-")
        && !branch.startsWith(".")
        && !branch.endsWith("/")
        && !branch.endsWith(".")
        && !branch.endsWith(".lock")
        && !branch.contains("..")
        && !branch.contains("//")
        && !branch.contains("/.");
  }

  /** Whether an http(s) URL carries user information (a user name, a password or a token). */
  public static boolean hasCredentials(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getRawUserInfo() != null;
    } catch (URISyntaxException e) {
      return url.contains("@") && url.indexOf('@') < url.indexOf('/', url.indexOf("//") + 2);
    }
  }

  /** The API error for a refusal of the SSRF guard. */
  public static ApiException refusal(String what, TargetRefusedException e) {
    return switch (e.reason()) {
      case INVALID ->
          new ApiException(
              ErrorCode.VALIDATION_FAILED, "the " + what + " is not acceptable: " + e.getMessage());
      case NOT_ALLOWED ->
          new ApiException(
              ErrorCode.TARGET_NOT_ALLOWED, "the " + what + " is not allowed: " + e.getMessage());
    };
  }

  private void checkHost(String host, String remote) {
    if (host == null || host.isBlank()) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "the git remote names no host");
    }
    try {
      guard.checkHostAtCreation(host);
    } catch (TargetRefusedException e) {
      throw refusal("git remote", e);
    }
  }

  private void checkLocal(String path) {
    Path local;
    try {
      local = Path.of(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "the git remote is not a valid path");
    }
    if (localRoots.stream().noneMatch(root -> local.startsWith(root) && !local.equals(root))) {
      throw new ApiException(
          ErrorCode.TARGET_NOT_ALLOWED,
          "a local git remote must be under one of taskpilot.publish.git.local-remote-roots"
              + (localRoots.isEmpty() ? " (none configured)" : " " + localRoots));
    }
  }

  private static URI parse(String remote) {
    try {
      return new URI(remote);
    } catch (URISyntaxException e) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, "the git remote is not a valid URL");
    }
  }

  private static ApiException credentials() {
    return new ApiException(
        ErrorCode.CREDENTIALS_IN_URL,
        "a git remote must not carry credentials; the workers' git configuration supplies them");
  }
}
