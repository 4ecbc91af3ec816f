package dev.taskpilot.activities.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The state and process group of a Linux process, read from {@code /proc/<pid>/stat}.
 *
 * @param state the one-letter state; {@code Z} for a zombie
 * @param group the process group id
 */
record ProcStat(char state, long group) {

  /** Whether the process still runs: a zombie has ended and only waits to be reaped. */
  boolean running() {
    return state != 'Z' && state != 'X';
  }

  /** The stat of {@code pid}; empty when the process is gone or there is no {@code /proc}. */
  static Optional<ProcStat> of(long pid) {
    return read(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /**
   * Whether a running process belongs to {@code group}; true when {@code /proc} cannot be listed,
   * so callers err towards killing.
   */
  static boolean groupRunning(long group) {
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      return entries
          .filter(entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))
          .map(entry -> read(entry.resolve("stat")))
          .flatMap(Optional::stream)
          .anyMatch(stat -> stat.group() == group && stat.running());
    } catch (IOException | UncheckedIOException e) {
      return true;
    }
  }

  private static Optional<ProcStat> read(Path file) {
    try {
      String stat = Files.readString(file);
      // The command name in parentheses may hold spaces; the fields after it do not.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(new ProcStat(fields[0].charAt(0), Long.parseLong(fields[2])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
