package dev.taskpilot.activities.worktree;

import dev.taskpilot.activities.agent.workspace.Workspaces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-task git worktrees: a task on a workspace that is a git repository works in its own worktree
 * on branch {@code taskpilot/<task-id>}, so parallel tasks on one repository never trample each
 * other. The worktree lives where the task's scratch directory would ({@code
 * <root>/_tasks/<task-id>}) and is kept for publishing; {@link WorktreeCleaner} removes it later.
 */
@Singleton
public class Worktrees {
  public static final String BRANCH_PREFIX = "taskpilot/";

  private static final Logger log = LoggerFactory.getLogger(Worktrees.class);

  private final Workspaces workspaces;

  public Worktrees(Workspaces workspaces) {
    this.workspaces = workspaces;
  }

  /** Whether a directory is the top of a git repository. */
  public static boolean isRepository(Path directory) {
    return Files.exists(directory.resolve(".git"));
  }

  /**
   * The directory the task's agent works in: its worktree when the workspace is a git repository
   * (created on first use, reused by retries), the workspace itself otherwise.
   *
   * @throws UntrustedGitException when the workspace's repository configures a command (an agent
   *     may have made it, working in the plain directory it was)
   */
  public Path prepare(Path workspace, String taskId) {
    if (!isRepository(workspace)) {
      return workspace;
    }
    Path worktree = workspaces.root().resolve(Workspaces.SCRATCH).resolve(taskId);
    if (isRepository(worktree)) {
      return worktree;
    }
    try {
      Files.createDirectories(worktree.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + worktree.getParent(), e);
    }
    GitSafety.requireTrustedConfig(workspace, Map.of());
    Git.run(
        workspace, "worktree", "add", "-B", BRANCH_PREFIX + taskId, worktree.toString(), "HEAD");
    return worktree;
  }

  /**
   * Checks a task's worktree before git runs in it (see {@link VerifiedWorktree}), and its
   * repository's configuration.
   *
   * @throws UntrustedGitException when either was changed to lead git elsewhere or run a command
   */
  public VerifiedWorktree verify(Path worktree) {
    VerifiedWorktree verified =
        VerifiedWorktree.verify(worktree, workspaces.root(), Workspaces.SCRATCH);
    GitSafety.requireTrustedConfig(verified.workTree(), verified.environment());
    return verified;
  }

  /**
   * Removes a task's worktree (its branch stays in the repository). True when there was one. A
   * worktree that no longer verifies is left alone: no git command runs in it.
   */
  public boolean remove(String taskId) {
    Path worktree = workspaces.root().resolve(Workspaces.SCRATCH).resolve(taskId);
    if (!Files.isRegularFile(worktree.resolve(".git"))) {
      return false;
    }
    VerifiedWorktree verified;
    try {
      verified = verify(worktree);
    } catch (UntrustedGitException e) {
      log.warn("not removing a worktree: {}", e.getMessage());
      return false;
    }
    Path repository = verified.repository();
    Git.run(repository, "worktree", "remove", "--force", verified.workTree().toString());
    Git.run(repository, "worktree", "prune");
    return true;
  }
}
