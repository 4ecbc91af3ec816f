package dev.taskpilot.activities.worktree;

import dev.taskpilot.activities.agent.workspace.Workspaces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-task git worktrees: a task on a workspace that is a git repository works in its own worktree
 * on branch {@code taskpilot/<task-id>}, so parallel tasks on one repository never trample each
 * other. The worktree lives where the task's scratch directory would ({@code
 * <root>/_tasks/<task-id>}) and is kept for publishing; {@link WorktreeCleaner} removes it later.
 */
@Singleton
public class Worktrees {
  public static final String BRANCH_PREFIX = "taskpilot/";

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
    Git.run(
        workspace, "worktree", "add", "-B", BRANCH_PREFIX + taskId, worktree.toString(), "HEAD");
    return worktree;
  }

  /** Removes a task's worktree (its branch stays in the repository). True when there was one. */
  public boolean remove(String taskId) {
    Path worktree = workspaces.root().resolve(Workspaces.SCRATCH).resolve(taskId);
    if (!Files.isRegularFile(worktree.resolve(".git"))) {
      return false;
    }
    Path repository =
        Path.of(Git.run(worktree, "rev-parse", "--path-format=absolute", "--git-common-dir"))
            .getParent();
    Git.run(repository, "worktree", "remove", "--force", worktree.toString());
    Git.run(repository, "worktree", "prune");
    return true;
  }
}
