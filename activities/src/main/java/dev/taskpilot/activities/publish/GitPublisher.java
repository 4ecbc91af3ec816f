package dev.taskpilot.activities.publish;

import dev.taskpilot.activities.Redaction;
import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.activities.publish.GitCommand.Result;
import dev.taskpilot.activities.worktree.GitSafety;
import dev.taskpilot.activities.worktree.UntrustedGitException;
import dev.taskpilot.activities.worktree.VerifiedWorktree;
import dev.taskpilot.activities.worktree.Worktrees;
import dev.taskpilot.net.GitRemotes;
import dev.taskpilot.net.TargetRefusedException;
import dev.taskpilot.store.PublicationRecord;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code git} target: commits every change in the task's worktree ({@code
 * <workspaces>/_tasks/<task-id>}) with a {@code Taskpilot-Task: <task-id>} trailer and pushes that
 * commit to the target branch, never forced. The commit is made once: a retry reuses the commit the
 * ledger recorded, or HEAD when it carries the trailer and nothing changed since. An earlier push
 * arrived when the remote branch points at the recorded commit.
 */
@Singleton
public final class GitPublisher implements TargetPublisher<PublishTarget.Git> {
  public static final String TRAILER = "Taskpilot-Task";

  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
  private static final Duration LOCAL_TIMEOUT = Duration.ofMinutes(1);

  private final Workspaces workspaces;
  private final Worktrees worktrees;
  private final GitRemotes remotes;
  private final GitPublishConfig config;

  public GitPublisher(
      Workspaces workspaces, Worktrees worktrees, GitRemotes remotes, GitPublishConfig config) {
    this.workspaces = workspaces;
    this.worktrees = worktrees;
    this.remotes = remotes;
    this.config = config;
  }

  @Override
  public Payload prepare(PublishRequest request, PublishTarget.Git target, PublicationRecord row)
      throws DeliveryFailure {
    remote(target);
    VerifiedWorktree worktree = worktree(request.taskId());
    checkBranch(worktree, target.branch());
    String recorded = row.commitSha();
    if (recorded != null && local(worktree, "cat-file", "-e", recorded + "^{commit}").ok()) {
      return new Payload(null, null, recorded, "pushed " + brief(recorded) + ", committed earlier");
    }
    if (!required(worktree, "status", "--porcelain", "--untracked-files=all").isEmpty()) {
      required(worktree, "add", "-A");
      commit(worktree, request);
      String sha = required(worktree, "rev-parse", "HEAD");
      return new Payload(null, null, sha, "committed and pushed " + brief(sha));
    }
    String head = required(worktree, "rev-parse", "HEAD");
    String message = required(worktree, "log", "-1", "--format=%B", "HEAD");
    boolean ours = message.lines().anyMatch(line -> line.strip().equals(trailer(request)));
    return new Payload(
        null,
        null,
        head,
        ours
            ? "pushed " + brief(head) + ", committed by an earlier attempt"
            : "no changes; pushed " + brief(head) + " as it was");
  }

  @Override
  public Reconciliation reconcile(
      PublishRequest request, PublishTarget.Git target, PublicationRecord row) {
    if (row.commitSha() == null) {
      return Reconciliation.notDelivered();
    }
    try {
      GitRemotes.Checked remote = remote(target);
      Result result =
          GitCommand.runOutsideRepositories(
              config.timeout(),
              remote.protocols(),
              "ls-remote",
              remote.argument(),
              "refs/heads/" + target.branch());
      if (!result.ok()) {
        return Reconciliation.askFailed("git ls-remote failed: " + lastLine(result));
      }
      String remoteSha = result.output().isEmpty() ? "" : result.output().split("\\s+", 2)[0];
      return remoteSha.equals(row.commitSha())
          ? Reconciliation.delivered(location(target, row.commitSha()))
          : Reconciliation.notDelivered();
    } catch (DeliveryFailure e) {
      return Reconciliation.askFailed(e.getMessage());
    }
  }

  @Override
  public Delivery send(
      PublishRequest request, PublishTarget.Git target, PublicationRecord row, Payload payload)
      throws DeliveryFailure {
    GitRemotes.Checked remote = remote(target);
    VerifiedWorktree worktree = worktree(request.taskId());
    Result push =
        GitCommand.run(
            worktree.workTree(),
            config.timeout(),
            remote.protocols(),
            worktree.environment(),
            "push",
            "--porcelain",
            "--no-verify",
            remote.argument(),
            payload.commitSha() + ":refs/heads/" + target.branch());
    if (push.timedOut()) {
      throw DeliveryFailure.unknown("the push did not finish within " + config.timeout());
    }
    if (push.ok()) {
      return new Delivery(location(target, payload.commitSha()), null, payload.note());
    }
    if (push.output().contains("[rejected]")) {
      throw DeliveryFailure.refused(
          "the push was rejected (non-fast-forward): the branch has commits this one lacks");
    }
    if (push.output().contains("[remote rejected]")) {
      throw DeliveryFailure.refused("the remote rejected the push: " + lastLine(push));
    }
    throw DeliveryFailure.failed("the push failed: " + lastLine(push));
  }

  @Override
  public String describe(PublishTarget.Git target) {
    return "git " + Redaction.url(target.remote()) + " branch " + target.branch();
  }

  /**
   * The target's remote as git may use it now; refuses it for good, or fails for now when its host
   * does not resolve.
   */
  private GitRemotes.Checked remote(PublishTarget.Git target) throws DeliveryFailure {
    try {
      return remotes.checkAtSend(target.remote());
    } catch (TargetRefusedException e) {
      // The messages never repeat the remote.
      throw DeliveryFailure.refused(e.getMessage());
    } catch (UncheckedIOException e) {
      throw DeliveryFailure.failed("the git remote's host does not resolve: " + e.getMessage());
    }
  }

  /**
   * The task's worktree, verified before any git runs in it; refuses a task whose workspace was no
   * git repository, and a worktree changed to lead git elsewhere or to run a command.
   */
  VerifiedWorktree worktree(String taskId) throws DeliveryFailure {
    if (taskId == null || !TASK_ID.matcher(taskId).matches()) {
      throw DeliveryFailure.refused("the task id cannot name a worktree");
    }
    Path worktree = workspaces.root().resolve(Workspaces.SCRATCH).resolve(taskId);
    if (!Files.exists(worktree.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
      throw DeliveryFailure.refused(
          "the task has no git worktree to publish: its workspace is not a git repository");
    }
    try {
      return worktrees.verify(worktree);
    } catch (UntrustedGitException e) {
      throw DeliveryFailure.refused(e.getMessage());
    }
  }

  private void checkBranch(VerifiedWorktree worktree, String branch) throws DeliveryFailure {
    if (branch == null
        || branch.startsWith("-")
        || !local(worktree, "check-ref-format", "refs/heads/" + branch).ok()) {
      throw DeliveryFailure.refused("the branch name is not a valid git branch name");
    }
  }

  private void commit(VerifiedWorktree worktree, PublishRequest request) throws DeliveryFailure {
    String title =
        request.title() == null || request.title().isBlank() ? request.taskId() : request.title();
    String summary = request.summary() == null ? "" : request.summary().strip();
    String message =
        title.strip() + "\n\n" + (summary.isEmpty() ? "" : summary + "\n\n") + trailer(request);
    Map<String, String> environment = new HashMap<>(worktree.environment());
    environment.putAll(
        Map.of(
            "GIT_AUTHOR_NAME", config.authorName(),
            "GIT_AUTHOR_EMAIL", config.authorEmail(),
            "GIT_COMMITTER_NAME", config.authorName(),
            "GIT_COMMITTER_EMAIL", config.authorEmail()));
    // The repository's signing settings have no say in what Taskpilot commits (nor, as for every
    // command, its hooks).
    Result result =
        GitCommand.run(
            worktree.workTree(),
            LOCAL_TIMEOUT,
            GitSafety.NO_PROTOCOLS,
            environment,
            "-c",
            "commit.gpgSign=false",
            "commit",
            "--quiet",
            "--no-verify",
            "--cleanup=whitespace",
            "-m",
            message);
    if (!result.ok()) {
      throw DeliveryFailure.failed("git commit failed: " + lastLine(result));
    }
  }

  private static String trailer(PublishRequest request) {
    return TRAILER + ": " + request.taskId();
  }

  private static String location(PublishTarget.Git target, String sha) {
    return Redaction.url(target.remote()) + "#" + target.branch() + "@" + sha;
  }

  private static Result local(VerifiedWorktree worktree, String... arguments) {
    return GitCommand.run(
        worktree.workTree(),
        LOCAL_TIMEOUT,
        GitSafety.NO_PROTOCOLS,
        worktree.environment(),
        arguments);
  }

  private static String required(VerifiedWorktree worktree, String... arguments)
      throws DeliveryFailure {
    Result result = local(worktree, arguments);
    if (!result.ok()) {
      throw DeliveryFailure.failed("git " + arguments[0] + " failed: " + lastLine(result));
    }
    return result.output();
  }

  private static String lastLine(Result result) {
    if (result.timedOut()) {
      return "timed out";
    }
    String[] lines = result.output().strip().split("\n");
    return lines[lines.length - 1];
  }

  private static String brief(String sha) {
    return sha.length() > 12 ? sha.substring(0, 12) : sha;
  }
}
