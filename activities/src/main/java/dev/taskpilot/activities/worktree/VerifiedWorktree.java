package dev.taskpilot.activities.worktree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A task's worktree whose {@code .git} file was checked: a regular file (no link) naming a
 * directory {@code <workspace>/.git/worktrees/<name>} of a workspace's repository (under the
 * workspaces root, outside the task directories) that names this worktree back. Git then runs in it
 * with {@code GIT_DIR}, {@code GIT_COMMON_DIR} and {@code GIT_WORK_TREE} set, so nothing the agent
 * changed afterwards redirects it (a {@code gitdir:} to an agent-made config, a changed {@code
 * commondir}).
 */
public record VerifiedWorktree(Path workTree, Path gitDir, Path commonDir) {
  private static final long MAX_POINTER_BYTES = 4096;

  /** The workspace the worktree belongs to (the directory holding the repository's .git). */
  public Path repository() {
    return commonDir.getParent();
  }

  /** The variables that pin git to this worktree and its repository. */
  public Map<String, String> environment() {
    return Map.of(
        "GIT_DIR", gitDir.toString(),
        "GIT_COMMON_DIR", commonDir.toString(),
        "GIT_WORK_TREE", workTree.toString());
  }

  /**
   * Checks the worktree at {@code worktree} (a directory under {@code <root>/_tasks}).
   *
   * @throws UntrustedGitException when its {@code .git} is missing, not a plain file, or points
   *     anywhere but into its repository's {@code worktrees/}
   */
  public static VerifiedWorktree verify(Path worktree, Path workspacesRoot, String scratch) {
    try {
      Path root = workspacesRoot.toRealPath();
      Path workTree = worktree.toRealPath();
      if (!workTree.equals(worktree.toAbsolutePath().normalize())) {
        throw untrusted(worktree, "it is reached through a symbolic link");
      }
      Path pointer = workTree.resolve(".git");
      if (!Files.isRegularFile(pointer, LinkOption.NOFOLLOW_LINKS)) {
        throw untrusted(worktree, "its .git is not a plain file");
      }
      Path gitDir = realTarget(workTree, firstLine(pointer, "gitdir: "), worktree);
      Path worktrees = gitDir.getParent();
      Path commonDir = worktrees == null ? null : worktrees.getParent();
      Path workspace = commonDir == null ? null : commonDir.getParent();
      boolean inAWorkspaceRepository =
          workspace != null
              && worktrees.getFileName().toString().equals("worktrees")
              && commonDir.getFileName().toString().equals(".git")
              && Files.isDirectory(commonDir, LinkOption.NOFOLLOW_LINKS)
              && workspace.startsWith(root)
              && !workspace.equals(root)
              && !workspace.startsWith(root.resolve(scratch));
      if (!inAWorkspaceRepository) {
        throw untrusted(worktree, "its .git points outside its repository's worktrees");
      }
      Path back = realTarget(gitDir, firstLine(gitDir.resolve("gitdir"), ""), worktree);
      if (!back.equals(pointer)) {
        throw untrusted(worktree, "its repository does not name it as its worktree");
      }
      Path commondirFile = gitDir.resolve("commondir");
      if (Files.exists(commondirFile, LinkOption.NOFOLLOW_LINKS)
          && !realTarget(gitDir, firstLine(commondirFile, ""), worktree).equals(commonDir)) {
        throw untrusted(worktree, "its commondir points outside its repository");
      }
      return new VerifiedWorktree(workTree, gitDir, commonDir);
    } catch (IOException | InvalidPathException e) {
      throw untrusted(worktree, "its .git cannot be read: " + e.getMessage());
    }
  }

  private static String firstLine(Path file, String prefix) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
        || Files.size(file) > MAX_POINTER_BYTES) {
      throw new IOException(file.getFileName() + " is not a small plain file");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.getFirst().startsWith(prefix)) {
      throw new IOException(file.getFileName() + " does not start with '" + prefix + "'");
    }
    return lines.getFirst().substring(prefix.length()).strip();
  }

  private static Path realTarget(Path base, String target, Path worktree) throws IOException {
    if (target.isEmpty()) {
      throw untrusted(worktree, "its .git names no directory");
    }
    return base.resolve(target).toRealPath();
  }

  private static UntrustedGitException untrusted(Path worktree, String why) {
    return new UntrustedGitException(
        "the worktree "
            + worktree
            + " was changed after it was made ("
            + why
            + "); no git command was run in it");
  }
}
