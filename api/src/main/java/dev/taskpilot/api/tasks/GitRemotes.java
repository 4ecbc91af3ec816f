package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.net.GitRemote;
import dev.taskpilot.net.LocalRoots;
import dev.taskpilot.net.OutboundGuard;
import dev.taskpilot.net.TargetRefusedException;
import dev.taskpilot.net.Urls;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which git remotes a task may push to: the forms {@link GitRemote#parse} accepts, https and ssh
 * remotes only when the SSRF guard accepts their host, local paths only under {@code
 * taskpilot.publish.git.local-remote-roots}. Credentials never belong in a remote: the workers' own
 * git configuration supplies them.
 */
@Singleton
public class GitRemotes {
  private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

  private final OutboundGuard guard;
  private final LocalRoots localRoots;

  public GitRemotes(
      OutboundGuard guard,
      @Property(name = "taskpilot.publish.git.local-remote-roots") @Nullable
          List<String> localRoots) {
    this.guard = guard;
    this.localRoots =
        LocalRoots.of(localRoots == null ? List.of() : localRoots.stream().map(Path::of).toList());
  }

  /** Refuses a remote a task may not push to, with a 4xx {@link ApiException}. */
  public void check(String remote) {
    GitRemote parsed;
    try {
      parsed = GitRemote.parse(remote);
    } catch (TargetRefusedException e) {
      throw switch (e.reason()) {
        case CREDENTIALS ->
            new ApiException(
                ErrorCode.CREDENTIALS_IN_URL,
                e.getMessage() + "; the workers' git configuration supplies them");
        case INVALID -> new ApiException(ErrorCode.VALIDATION_FAILED, e.getMessage());
        case NOT_ALLOWED -> refusal("git remote", e);
      };
    }
    try {
      switch (parsed) {
        case GitRemote.Http http -> guard.checkAtCreation(remote);
        case GitRemote.Ssh ssh -> guard.checkHostAtCreation(ssh.host());
        case GitRemote.Local local -> checkLocal(local);
      }
    } catch (TargetRefusedException e) {
      throw refusal("git remote", e);
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
    return Urls.hasCredentials(url);
  }

  /** The API error for a refusal of the SSRF guard or of {@link GitRemote#parse}. */
  public static ApiException refusal(String what, TargetRefusedException e) {
    return switch (e.reason()) {
      case INVALID ->
          new ApiException(
              ErrorCode.VALIDATION_FAILED, "the " + what + " is not acceptable: " + e.getMessage());
      case CREDENTIALS ->
          new ApiException(
              ErrorCode.CREDENTIALS_IN_URL,
              "the " + what + " must not carry credentials: " + e.getMessage());
      case NOT_ALLOWED ->
          new ApiException(
              ErrorCode.TARGET_NOT_ALLOWED, "the " + what + " is not allowed: " + e.getMessage());
    };
  }

  private void checkLocal(GitRemote.Local local) {
    if (localRoots.resolve(local.path()).isEmpty()) {
      throw new ApiException(
          ErrorCode.TARGET_NOT_ALLOWED,
          "a local git remote must be under one of taskpilot.publish.git.local-remote-roots"
              + (localRoots.isEmpty() ? " (none configured)" : " " + localRoots));
    }
  }
}
