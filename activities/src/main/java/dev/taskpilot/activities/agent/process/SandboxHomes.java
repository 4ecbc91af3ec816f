package dev.taskpilot.activities.agent.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The homes of sandboxed agents: one directory per task under {@code <agent-runs-dir>-homes} (next
 * to the run directory, which holds only process records; mode 0700), the agent's {@code HOME} in
 * every run of its task, so that a session it keeps there (Claude Code's {@code ~/.claude}) can be
 * resumed, and seen by no other task. A home no run has used for {@link #RETENTION} is removed.
 */
final class SandboxHomes {
  /** How long a home no run used is kept. */
  static final Duration RETENTION = Duration.ofDays(30);

  private static final Logger LOG = LoggerFactory.getLogger(SandboxHomes.class);
  private static final Duration SWEEP_INTERVAL = Duration.ofHours(1);

  private final Path root;
  private Instant nextSweep = Instant.MIN;

  SandboxHomes(Path runDirectory) {
    this.root = root(runDirectory);
  }

  /** Where the homes of the runs recorded in {@code runDirectory} are. */
  static Path root(Path runDirectory) {
    Path absolute = runDirectory.toAbsolutePath().normalize();
    return absolute.resolveSibling(absolute.getFileName() + "-homes");
  }

  /** The home of {@code taskId}'s agent, created if need be and marked as used now. */
  Path prepare(String taskId) throws IOException {
    sweepIfDue(Instant.now());
    createPrivate(root);
    Path home = root.resolve(name(taskId));
    createPrivate(home);
    Files.setLastModifiedTime(home, FileTime.from(Instant.now()));
    return home;
  }

  /** The directory name of a task's home: its id when that is a plain name, else a hash of it. */
  static String name(String taskId) {
    if (taskId.matches("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}")) {
      return taskId;
    }
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
      return "h-" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void createPrivate(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory);
    }
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
  }

  private synchronized void sweepIfDue(Instant now) {
    if (now.isBefore(nextSweep)) {
      return;
    }
    nextSweep = now.plus(SWEEP_INTERVAL);
    sweep(now);
  }

  /** Removes the homes last used before {@code now - RETENTION}; returns how many. */
  int sweep(Instant now) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    List<Path> homes;
    try (Stream<Path> entries = Files.list(root)) {
      homes = entries.toList();
    } catch (IOException e) {
      LOG.warn("cannot list agent homes in {}: {}", root, e.getMessage());
      return 0;
    }
    int removed = 0;
    for (Path home : homes) {
      try {
        if (Files.getLastModifiedTime(home).toInstant().isBefore(now.minus(RETENTION))) {
          delete(home);
          removed++;
        }
      } catch (IOException e) {
        LOG.warn("cannot remove agent home {}: {}", home, e.getMessage());
      }
    }
    return removed;
  }

  /** Deletes a tree an agent wrote: links are removed, never followed. */
  private static void delete(Path tree) throws IOException {
    Files.walkFileTree(
        tree,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes)
              throws IOException {
            // The agent may have taken its own permissions away.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
