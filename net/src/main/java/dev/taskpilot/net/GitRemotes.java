package dev.taskpilot.net;

import dev.taskpilot.net.TargetRefusedException.Reason;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which git remotes Taskpilot may push to, checked in two phases: when a task names the remote
 * ({@link #checkAtCreation}) and right before git talks to it ({@link #checkAtSend}). The remote
 * must have a form {@link GitRemote#parse} accepts; http(s) remotes must pass the SSRF guard's
 * check of the phase, ssh remotes ({@code ssh://host/...} or {@code user@host:path}) its host
 * check; local paths and {@code file://} remotes must lie under one of {@value #LOCAL_ROOTS_KEY};
 * any other transport is refused. Credentials never belong in a remote: the workers' own git
 * configuration supplies them.
 *
 * <p>Refusals are {@link TargetRefusedException}s whose messages are sentences fit to show a user;
 * they never repeat the remote, which may carry a secret.
 */
@Singleton
public class GitRemotes {
  /** The configuration key of the directories local remotes must lie under; none by default. */
  public static final String LOCAL_ROOTS_KEY = "taskpilot.publish.git.local-remote-roots";

  private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

  private final OutboundGuard guard;
  private final LocalRoots localRoots;

  public GitRemotes(
      OutboundGuard guard, @Property(name = LOCAL_ROOTS_KEY) @Nullable List<String> localRoots) {
    this.guard = guard;
    this.localRoots =
        LocalRoots.of(localRoots == null ? List.of() : localRoots.stream().map(Path::of).toList());
  }

  /**
   * A remote git may use.
   *
   * @param argument what to hand git as the repository
   * @param protocols the only transports git may use for it ({@code GIT_ALLOW_PROTOCOL})
   */
  public record Checked(String argument, String protocols) {}

  /**
   * Checks a remote when a task names it: its form, then its host as the SSRF guard checks it at
   * creation (a name that does not resolve yet passes; it is checked again at send time), or its
   * path against the local roots.
   *
   * @return the parsed remote
   * @throws TargetRefusedException CREDENTIALS or INVALID for the form ({@link GitRemote#parse}),
   *     NOT_ALLOWED (or INVALID) for a host or path Taskpilot may not reach
   */
  public GitRemote checkAtCreation(String remote) {
    GitRemote parsed = GitRemote.parse(remote);
    try {
      switch (parsed) {
        case GitRemote.Http http -> guard.checkAtCreation(remote);
        case GitRemote.Ssh ssh -> guard.checkHostAtCreation(ssh.host());
        case GitRemote.Local local -> localPath(local);
      }
    } catch (TargetRefusedException e) {
      throw reach(e);
    }
    return parsed;
  }

  /**
   * Checks a remote right before git uses it: its form, then its host as the SSRF guard checks it
   * at send time (resolved again), or its path against the local roots.
   *
   * @return what to hand git
   * @throws TargetRefusedException a refusal for good
   * @throws UncheckedIOException when the remote's host does not resolve now (worth another try)
   */
  public Checked checkAtSend(String remote) {
    GitRemote parsed = GitRemote.parse(remote);
    try {
      return switch (parsed) {
        case GitRemote.Http http -> {
          guard.checkAtSend(http.uri());
          yield new Checked(remote, http.scheme());
        }
        case GitRemote.Ssh ssh -> {
          guard.checkHostAtCreation(ssh.host());
          yield new Checked(remote, "ssh");
        }
        // git gets the checked path itself, never a spelling it could read differently.
        case GitRemote.Local local -> new Checked(localPath(local).toString(), "file");
      };
    } catch (TargetRefusedException e) {
      throw reach(e);
    } catch (IllegalArgumentException e) {
      throw new TargetRefusedException(Reason.INVALID, "the git remote is not a valid remote");
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

  /** The path resolved under a local root; NOT_ALLOWED when it is under none. */
  private Path localPath(GitRemote.Local local) {
    return localRoots
        .resolve(local.path())
        .orElseThrow(
            () ->
                new TargetRefusedException(
                    Reason.NOT_ALLOWED,
                    "a local path must be under one of "
                        + LOCAL_ROOTS_KEY
                        + (localRoots.isEmpty() ? " (none configured)" : " " + localRoots)));
  }

  /** A refusal of the remote's host or path, said of the remote. */
  private static TargetRefusedException reach(TargetRefusedException e) {
    return new TargetRefusedException(
        e.reason(),
        (e.reason() == Reason.NOT_ALLOWED
                ? "the git remote is not allowed: "
                : "the git remote is not acceptable: ")
            + e.getMessage());
  }
}
