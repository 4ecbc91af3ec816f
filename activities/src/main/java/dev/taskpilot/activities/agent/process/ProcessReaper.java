package dev.taskpilot.activities.agent.process;

import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the agent process groups that a worker JVM left behind when it was killed outright. The
 * parent-death signal ends an agent's leader with its JVM, but not what the leader started; the run
 * directory (see {@link AgentRunnerSettings#runDirectory()}) records every group, and this kills
 * the groups whose JVM is gone. Groups of a running JVM, this one or another, are never touched.
 * Call {@link #reapOrphans()} when a worker starts.
 */
@Singleton
public class ProcessReaper {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessReaper.class);
  private static final long POLL_MILLIS = 25;
  private static final long OWN_GROUP =
      ProcStat.of(ProcessHandle.current().pid()).map(ProcStat::group).orElse(-1L);

  private final RunDirectory directory;
  private final Duration grace;
  private final Optional<Path> kill;

  @Inject
  public ProcessReaper(
      @Property(name = AgentRunnerSettings.RUN_DIRECTORY_KEY) @Nullable String runDirectory,
      @Property(name = AgentRunnerSettings.DATA_DIRECTORY_KEY) @Nullable String dataDirectory) {
    this(AgentRunnerSettings.runDirectory(runDirectory, dataDirectory), Duration.ofSeconds(1));
  }

  /**
   * @param runDirectory the run directory of the runners whose orphans to end
   * @param grace how long a group has between SIGTERM and SIGKILL
   */
  public ProcessReaper(Path runDirectory, Duration grace) {
    this.directory = new RunDirectory(runDirectory);
    this.grace = grace;
    this.kill = ChildLauncher.find("kill");
  }

  /** The directory whose records this reaper reads. */
  Path runDirectory() {
    return directory.path();
  }

  /**
   * Kills every recorded process group whose JVM is no longer running and deletes its record;
   * deletes the records of groups that are gone. Returns how many groups it had to kill.
   */
  public int reapOrphans() {
    List<Path> files;
    try {
      files = directory.files();
    } catch (IOException e) {
      LOG.warn("Cannot list agent records in {}: {}", directory.path(), e.toString());
      return 0;
    }
    int killed = 0;
    for (Path file : files) {
      Optional<RunRecord> record = RunDirectory.read(file);
      if (record.isEmpty()) {
        LOG.warn("Deleting {}: not an agent record", file);
        RunDirectory.delete(file);
      } else if (reap(file, record.get())) {
        killed++;
      }
    }
    return killed;
  }

  /** Handles one record; true when it killed a group. */
  private boolean reap(Path file, RunRecord record) {
    if (!RunDirectory.sameBoot(record)) {
      RunDirectory.delete(file); // Nothing survives a reboot.
      return false;
    }
    if (!RunDirectory.samePidNamespace(record) || RunDirectory.ownerAlive(record)) {
      return false;
    }
    if (orphans(record).isEmpty()) {
      RunDirectory.delete(file);
      return false;
    }
    LOG.warn(
        "Killing process group {} of task {}, left behind by worker pid {}",
        record.pgid(),
        record.taskId(),
        record.ownerPid());
    signal(record, "TERM");
    if (!awaitGone(record, grace)) {
      signal(record, "KILL");
      if (!awaitGone(record, Duration.ofSeconds(2))) {
        LOG.warn("Process group {} survives SIGKILL; keeping {}", record.pgid(), file);
        return true;
      }
    }
    RunDirectory.delete(file);
    return true;
  }

  /**
   * The running members of the recorded group. The kernel does not hand out a pid while it names a
   * live group, so members of the group id are the recorded group's, unless the leader's pid was
   * reused (a process with that pid but another start time); members never started before the
   * leader.
   */
  private static List<ProcStat> orphans(RunRecord record) {
    Optional<ProcStat> leader = ProcStat.of(record.pid());
    if (record.pgid() <= 1
        || record.pgid() == OWN_GROUP
        || leader.filter(stat -> stat.startTime() != record.startTime()).isPresent()) {
      return List.of();
    }
    try {
      return ProcStat.members(record.pgid(), stat -> stat.startTime() >= record.startTime());
    } catch (IOException e) {
      return List.of();
    }
  }

  private void signal(RunRecord record, String signal) {
    if (kill.isPresent()) {
      ProcessTree.signalGroup(kill, record.pgid(), signal);
      return;
    }
    for (ProcStat member : orphans(record)) {
      Optional<ProcessHandle> handle = ProcessHandle.of(member.pid());
      if (signal.equals("KILL")) {
        handle.ifPresent(ProcessHandle::destroyForcibly);
      } else {
        handle.ifPresent(ProcessHandle::destroy);
      }
    }
  }

  private static boolean awaitGone(RunRecord record, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!orphans(record).isEmpty()) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
