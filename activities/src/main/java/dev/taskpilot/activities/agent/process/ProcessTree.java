package dev.taskpilot.activities.agent.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent process with everything it started. When the process leads its own process group the
 * whole group is signalled with {@code kill}; descendants found through {@link ProcessHandle} are
 * signalled as well, for children that left the group and for systems without {@code setsid}.
 */
final class ProcessTree {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);
  private static final long POLL_MILLIS = 25;
  private static final Duration KILL_WAIT = Duration.ofSeconds(1);

  private final Process process;
  private final Optional<Path> kill;
  private final Duration grace;
  private boolean interrupted;

  /**
   * @param process the leader
   * @param kill the {@code kill} program when the leader runs in its own process group
   * @param grace the time between SIGTERM and SIGKILL
   */
  ProcessTree(Process process, Optional<Path> kill, Duration grace) {
    this.process = process;
    this.kill = kill;
    this.grace = grace;
  }

  long pid() {
    return process.pid();
  }

  /**
   * SIGTERM to the tree, up to the grace period to end, then SIGKILL to whatever is left. Also ends
   * what is left of the group after the leader has exited; returns at once when nothing is.
   *
   * @return whether nothing of the tree runs any more
   */
  synchronized boolean terminate() {
    // Descendants are collected before signalling: once a parent dies its children are re-parented
    // and can no longer be found from the leader.
    Set<ProcessHandle> known = new LinkedHashSet<>();
    collect(known);
    if (!anyRunning(known)) {
      return true;
    }
    interrupted = Thread.interrupted();
    signalGroup("TERM");
    known.forEach(ProcessHandle::destroy);
    boolean gone = !interrupted && awaitGone(known, grace);
    if (!gone) {
      signalGroup("KILL");
      known.stream().filter(ProcessTree::isRunning).forEach(ProcessHandle::destroyForcibly);
      gone = awaitGone(known, KILL_WAIT);
    }
    try {
      process.waitFor(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return gone;
  }

  /** Polls until nothing of the tree runs; false at the timeout or on an interrupt (noted). */
  private boolean awaitGone(Set<ProcessHandle> known, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (anyRunning(known)) {
      if (interrupted || System.nanoTime() - deadline >= 0) {
        return false;
      }
      collect(known);
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    return true;
  }

  /**
   * Whether the process runs. Unlike {@link ProcessHandle#isAlive()} a zombie counts as ended: a
   * killed grandchild stays one until its new parent (often PID 1 in a container) reaps it.
   */
  static boolean isRunning(ProcessHandle handle) {
    return handle.isAlive()
        && ProcStat.of(handle.pid()).map(ProcStat::running).orElseGet(handle::isAlive);
  }

  private boolean anyRunning(Set<ProcessHandle> known) {
    return known.stream().anyMatch(ProcessTree::isRunning)
        || (kill.isPresent() && ProcStat.groupRunning(process.pid()));
  }

  private void signalGroup(String signal) {
    signalGroup(kill, process.pid(), signal);
  }

  /** Sends {@code signal} (TERM, KILL) to every process of {@code group} with {@code kill}. */
  static void signalGroup(Optional<Path> kill, long group, String signal) {
    if (kill.isEmpty() || group <= 1) {
      return;
    }
    List<String> command = List.of(kill.get().toString(), "-" + signal, "--", "-" + group);
    try {
      Process killer =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!killer.waitFor(2, TimeUnit.SECONDS)) {
        killer.destroyForcibly();
      }
    } catch (IOException e) {
      LOG.warn("Cannot signal process group {}: {}", group, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void collect(Set<ProcessHandle> known) {
    known.add(process.toHandle());
    for (ProcessHandle handle : List.copyOf(known)) {
      if (isRunning(handle)) {
        handle.descendants().forEach(known::add);
      }
    }
  }
}
