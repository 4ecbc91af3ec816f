package dev.taskpilot.activities.publish;

import dev.taskpilot.net.GitRemote;
import dev.taskpilot.net.LocalRoots;
import dev.taskpilot.net.OutboundGuard;
import dev.taskpilot.net.TargetRefusedException;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Decides whether Taskpilot may talk to a git remote, right before it does: the remote must have a
 * form {@link GitRemote#parse} accepts, http(s) remotes pass the SSRF guard's send-time check, ssh
 * remotes ({@code ssh://host/...} or {@code user@host:path}) its host check, local paths and {@code
 * file://} remotes must lie under one of {@code taskpilot.publish.git.local-remote-roots}; any
 * other transport is refused.
 */
@Singleton
public class GitRemotes {
  private final OutboundGuard guard;
  private final LocalRoots localRoots;

  public GitRemotes(OutboundGuard guard, GitPublishConfig config) {
    this.guard = guard;
    this.localRoots = LocalRoots.of(config.localRemoteRoots());
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
    GitRemote parsed;
    try {
      parsed = GitRemote.parse(remote);
    } catch (TargetRefusedException e) {
      // The parser's messages never repeat the remote.
      throw DeliveryFailure.refused(e.getMessage());
    }
    try {
      return switch (parsed) {
        case GitRemote.Http http -> {
          guard.checkAtSend(http.uri());
          yield new Remote(remote, http.scheme());
        }
        case GitRemote.Ssh ssh -> {
          guard.checkHostAtCreation(ssh.host());
          yield new Remote(remote, "ssh");
        }
        case GitRemote.Local local -> local(local.path());
      };
    } catch (TargetRefusedException e) {
      throw DeliveryFailure.refused("the git remote is refused (" + e.reason() + ")");
    } catch (UncheckedIOException e) {
      throw DeliveryFailure.failed("the git remote's host does not resolve: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw DeliveryFailure.refused("the git remote is not a valid remote");
    }
  }

  private Remote local(Path path) throws DeliveryFailure {
    if (localRoots.isEmpty()) {
      throw DeliveryFailure.refused(
          "local git remotes are not allowed (taskpilot.publish.git.local-remote-roots is empty)");
    }
    Path resolved =
        localRoots
            .resolve(path)
            .orElseThrow(
                () ->
                    DeliveryFailure.refused(
                        "the local git remote is outside taskpilot.publish.git.local-remote-roots"));
    // git gets the checked path itself, never a spelling it could read differently.
    return new Remote(resolved.toString(), "file");
  }
}
