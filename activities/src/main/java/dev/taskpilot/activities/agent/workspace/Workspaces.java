package dev.taskpilot.activities.agent.workspace;

import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Resolves workspace names to directories confined to the workspaces root. A task without a
 * workspace gets a scratch directory of its own under {@code <root>/_tasks/<taskId>}.
 */
@Singleton
public class Workspaces {
  /** The root's subdirectory holding per-task scratch directories; not a workspace name. */
  public static final String SCRATCH = "_tasks";

  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  private final Path root;

  /** Creates the root directory when it is missing. */
  public Workspaces(WorkspacesConfig config) {
    this.root = config.root().toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the workspaces root " + root, e);
    }
  }

  /** The workspaces root, absolute. */
  public Path root() {
    return root;
  }

  /**
   * The real directory of workspace {@code name}, or the task's scratch directory (created on
   * demand) when {@code name} is null.
   *
   * @throws WorkspaceNotFoundException when the name is not a plain relative name, the directory
   *     does not exist, or it resolves (after symbolic links) outside the root
   */
  public Path resolve(String name, String taskId) {
    return name == null ? scratch(taskId) : named(name);
  }

  /** Whether {@code name} resolves to an existing workspace; never throws. */
  public boolean exists(String name) {
    try {
      named(name);
      return true;
    } catch (WorkspaceNotFoundException e) {
      return false;
    }
  }

  private Path scratch(String taskId) {
    if (taskId == null || !TASK_ID.matcher(taskId).matches()) {
      throw new WorkspaceNotFoundException("task id '" + taskId + "' cannot name a directory");
    }
    try {
      Path directory = Files.createDirectories(root.resolve(SCRATCH).resolve(taskId));
      return directory.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the scratch workspace of " + taskId, e);
    }
  }

  private Path named(String name) {
    Path relative = plainRelative(name);
    Path candidate = root.resolve(relative);
    if (!Files.isDirectory(candidate)) {
      throw new WorkspaceNotFoundException("workspace '" + name + "' does not exist");
    }
    try {
      Path real = candidate.toRealPath();
      Path realRoot = root.toRealPath();
      if (!real.startsWith(realRoot) || real.equals(realRoot)) {
        throw new WorkspaceNotFoundException(
            "workspace '" + name + "' resolves outside the workspaces root");
      }
      if (hasGitSegment(realRoot.relativize(real))) {
        throw new WorkspaceNotFoundException(
            "workspace '" + name + "' resolves into a repository's .git directory");
      }
      return real;
    } catch (IOException e) {
      throw new WorkspaceNotFoundException("workspace '" + name + "' cannot be resolved: " + e);
    }
  }

  private static boolean hasGitSegment(Path path) {
    for (Path segment : path) {
      if (segment.toString().equalsIgnoreCase(".git")) {
        return true;
      }
    }
    return false;
  }

  private static Path plainRelative(String name) {
    if (name == null || name.isBlank()) {
      throw new WorkspaceNotFoundException("workspace name is empty");
    }
    Path path;
    try {
      path = Path.of(name);
    } catch (InvalidPathException e) {
      throw new WorkspaceNotFoundException("workspace name '" + name + "' is not a valid path");
    }
    if (path.isAbsolute() || name.startsWith("/") || name.startsWith("~")) {
      throw new WorkspaceNotFoundException("workspace name '" + name + "' must be relative");
    }
    for (Path segment : path) {
      String part = segment.toString();
      if (part.equals("..") || part.equals(".")) {
        throw new WorkspaceNotFoundException(
            "workspace name '" + name + "' must not contain '.' or '..' segments");
      }
    }
    if (hasGitSegment(path)) {
      // An agent working in a repository's .git could plant hooks and configuration there.
      throw new WorkspaceNotFoundException(
          "workspace name '" + name + "' must not contain a '.git' segment");
    }
    if (path.getName(0).toString().equals(SCRATCH)) {
      throw new WorkspaceNotFoundException("workspace name '" + name + "' is reserved");
    }
    return path;
  }
}
