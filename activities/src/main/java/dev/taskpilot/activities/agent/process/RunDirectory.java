package dev.taskpilot.activities.agent.process;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of {@link RunRecord}s: one file per running agent process group, written right
 * after the start and deleted once the group is dead.
 */
final class RunDirectory {
  static final String SUFFIX = ".agent";

  private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
  private static final long SELF = ProcessHandle.current().pid();
  private static final long SELF_START = ProcStat.of(SELF).map(ProcStat::startTime).orElse(-1L);
  private static final String BOOT_ID = RunRecord.currentBootId();
  private static final String PID_NAMESPACE = RunRecord.currentPidNamespace();

  private final Path path;

  RunDirectory(Path path) {
    this.path = path.toAbsolutePath();
  }

  Path path() {
    return path;
  }

  /**
   * Records the group that {@code pid} leads, started for {@code taskId}; empty when the start time
   * cannot be read (no {@code /proc}) or the file cannot be written, which is logged.
   */
  Optional<Path> record(long pid, String taskId) {
    Optional<ProcStat> stat = ProcStat.of(pid);
    if (stat.isEmpty() || SELF_START < 0) {
      return Optional.empty();
    }
    RunRecord record =
        new RunRecord(
            pid, pid, stat.get().startTime(), SELF, SELF_START, BOOT_ID, PID_NAMESPACE, taskId);
    Path file = path.resolve(record.fileName());
    try {
      createDirectory();
      Path partial = path.resolve("." + record.fileName() + ".tmp");
      Files.writeString(partial, record.format());
      move(partial, file);
      return Optional.of(file);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot record agent process group {} in {}: {}", pid, path, e.toString());
      return Optional.empty();
    }
  }

  /** The record files; none when the directory does not exist. */
  List<Path> files() throws IOException {
    if (!Files.isDirectory(path)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.filter(file -> file.getFileName().toString().endsWith(SUFFIX)).toList();
    }
  }

  /** The record in {@code file}; empty when it is gone or not a record. */
  static Optional<RunRecord> read(Path file) {
    try {
      return RunRecord.parse(Files.readString(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Cannot delete agent record {}: {}", file, e.toString());
    }
  }

  /** Whether {@code record} belongs to this JVM's machine boot and PID namespace. */
  static boolean sameBoot(RunRecord record) {
    return record.bootId().equals(BOOT_ID);
  }

  static boolean samePidNamespace(RunRecord record) {
    return record.pidNamespace().equals(PID_NAMESPACE);
  }

  /** Whether the JVM that wrote {@code record} still runs (the pid with the same start time). */
  static boolean ownerAlive(RunRecord record) {
    return ProcStat.of(record.ownerPid())
        .filter(ProcStat::running)
        .map(stat -> stat.startTime() == record.ownerStartTime())
        .orElse(false);
  }

  private void createDirectory() throws IOException {
    if (Files.isDirectory(path)) {
      return;
    }
    try {
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      Files.createDirectory(
          path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // Another runner made it first.
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(path);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
