package dev.taskpilot.activities.agent.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The state, process group and start time of a Linux process, read from {@code /proc/<pid>/stat}.
 *
 * @param pid the process id
 * @param state the one-letter state; {@code Z} for a zombie
 * @param group the process group id
 * @param startTime when the process started, in clock ticks after boot; with the pid it names one
 *     process, as pids are reused
 */
record ProcStat(long pid, char state, long group, long startTime) {
  private static final Path PROC = Path.of("/proc");

  /** Whether the process still runs: a zombie has ended and only waits to be reaped. */
  boolean running() {
    return state != 'Z' && state != 'X';
  }

  /** The stat of {@code pid}; empty when the process is gone or there is no {@code /proc}. */
  static Optional<ProcStat> of(long pid) {
    return read(PROC.resolve(Long.toString(pid)).resolve("stat"));
  }

  /**
   * Whether a running process belongs to {@code group}; true when {@code /proc} cannot be listed,
   * so callers err towards killing.
   */
  static boolean groupRunning(long group) {
    try {
      return !members(group, stat -> true).isEmpty();
    } catch (IOException | UncheckedIOException e) {
      return true;
    }
  }

  /** The running processes of {@code group} that {@code filter} accepts. */
  static List<ProcStat> members(long group, Predicate<ProcStat> filter) throws IOException {
    List<ProcStat> members = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
          read(entry.resolve("stat"))
              .filter(stat -> stat.group() == group && stat.running() && filter.test(stat))
              .ifPresent(members::add);
        }
      }
    } catch (DirectoryIteratorException e) {
      throw e.getCause();
    }
    return members;
  }

  private static Optional<ProcStat> read(Path file) {
    try {
      // Latin-1 maps bytes to chars one to one, whatever the command name holds.
      String stat = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      long pid = Long.parseLong(stat, 0, stat.indexOf(' '), 10);
      // The command name in parentheses may hold spaces; the fields after it do not. Field 3 of
      // proc(5) is the state, 5 the group, 22 the start time.
      int at = stat.lastIndexOf(')') + 2;
      char state = stat.charAt(at);
      long group = 0;
      for (int field = 3; field < 22; field++) {
        int end = stat.indexOf(' ', at);
        if (field == 5) {
          group = Long.parseLong(stat, at, end, 10);
        }
        at = end + 1;
      }
      long startTime = Long.parseLong(stat, at, stat.indexOf(' ', at), 10);
      return Optional.of(new ProcStat(pid, state, group, startTime));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
