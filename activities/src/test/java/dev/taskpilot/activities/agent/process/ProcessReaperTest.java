package dev.taskpilot.activities.agent.process;

import static dev.taskpilot.activities.agent.process.AgentFixtures.FAST;
import static dev.taskpilot.activities.agent.process.AgentFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.process.RunOutcome.Cancelled;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessReaperTest {
  @TempDir Path runDirectory;
  @TempDir Path workspace;

  @Test
  void shouldKillOrphanedGrandchildrenWhenOwnerJvmWasKilled() throws Exception {
    // given: a separate worker JVM running an agent whose shell has two background sleeps
    Process worker = startWorkerJvm();
    RunRecord record = null;
    try {
      Path file = awaitRecord();
      record = RunDirectory.read(file).orElseThrow();
      assertThat(record.pgid()).isEqualTo(record.pid());
      assertThat(record.ownerPid()).isEqualTo(worker.pid());
      long pgid = record.pgid();
      assertThat(await(() -> members(pgid).size() == 3)).as("leader and two sleeps").isTrue();
      List<Long> sleeps =
          members(pgid).stream().map(ProcStat::pid).filter(pid -> pid != pgid).toList();

      // when: the worker JVM dies without any chance to clean up
      worker.destroyForcibly();
      assertThat(worker.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(await(() -> !running(pgid))).as("leader ends by its parent-death signal").isTrue();
      assertThat(members(pgid)).as("grandchildren outlive the worker").hasSize(2);
      int killed = reaper().reapOrphans();

      // then
      assertThat(killed).isEqualTo(1);
      assertThat(members(pgid)).isEmpty();
      sleeps.forEach(pid -> assertThat(running(pid)).as("sleep %d", pid).isFalse());
      assertThat(file).doesNotExist();
    } finally {
      worker.destroyForcibly();
      if (record != null) {
        ProcessTree.signalGroup(ChildLauncher.find("kill"), record.pgid(), "KILL");
      }
    }
  }

  @Test
  void shouldLeaveGroupAloneWhenOwnerJvmIsAlive() throws Exception {
    // given: an agent of this JVM with a background child
    AgentProcessRunner runner =
        new AgentProcessRunner(new InMemoryAgentOutputSink(), FAST.withRunDirectory(runDirectory));
    AtomicBoolean stop = new AtomicBoolean();
    List<String> command = List.of("bash", "-c", "sleep 300 & wait");
    CompletableFuture<AgentProcessResult> run =
        CompletableFuture.supplyAsync(
            () ->
                runner.run(
                    spec("r2", command, PromptMode.STDIN, "", workspace), stop::get, p -> {}));
    Path file = awaitRecord();
    long pgid = RunDirectory.read(file).orElseThrow().pgid();
    assertThat(await(() -> members(pgid).size() == 2)).isTrue();

    // when
    int killed = reaper().reapOrphans();

    // then
    assertThat(killed).isZero();
    assertThat(members(pgid)).hasSize(2);
    assertThat(file).exists();
    stop.set(true);
    assertThat(run.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(new Cancelled("cancelled"));
    assertThat(members(pgid)).isEmpty();
    assertThat(file).as("the runner forgets the group once it is dead").doesNotExist();
  }

  @Test
  void shouldOnlyDeleteRecordWhenRecordedLeaderPidNowNamesAnotherProcess() throws Exception {
    // given: a live group whose leader's start time does not match the record, as after pid reuse
    Process stranger = new ProcessBuilder("setsid", "sleep", "30").start();
    try {
      assertThat(await(() -> ProcStat.of(stranger.pid()).orElseThrow().group() == stranger.pid()))
          .isTrue();
      ProcStat stat = ProcStat.of(stranger.pid()).orElseThrow();
      Path file =
          write(
              new RunRecord(
                  stat.pid(),
                  stat.pid(),
                  stat.startTime() - 1,
                  deadPid(),
                  1,
                  RunRecord.currentBootId(),
                  RunRecord.currentPidNamespace(),
                  "r3"));

      // when
      int killed = reaper().reapOrphans();

      // then
      assertThat(killed).isZero();
      assertThat(stranger.isAlive()).isTrue();
      assertThat(file).doesNotExist();
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void shouldDeleteRecordWhenGroupAndOwnerAreGone() throws Exception {
    // given
    long dead = deadPid();
    Path file =
        write(
            new RunRecord(
                dead,
                dead,
                1,
                dead,
                1,
                RunRecord.currentBootId(),
                RunRecord.currentPidNamespace(),
                "r4"));
    Path garbage = Files.writeString(runDirectory.resolve("broken.agent"), "pid=");

    // when
    int killed = reaper().reapOrphans();

    // then
    assertThat(killed).isZero();
    assertThat(file).doesNotExist();
    assertThat(garbage).doesNotExist();
  }

  private ProcessReaper reaper() {
    return new ProcessReaper(runDirectory, Duration.ofMillis(500));
  }

  /** A JVM running {@link OrphaningWorkerMain} on this test's class path. */
  private Process startWorkerJvm() throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            OrphaningWorkerMain.class.getName(),
            runDirectory.toString(),
            workspace.toString())
        .redirectErrorStream(true)
        .redirectOutput(workspace.resolve("worker.log").toFile())
        .start();
  }

  private Path awaitRecord() throws Exception {
    RunDirectory directory = new RunDirectory(runDirectory);
    assertThat(await(() -> !directory.files().isEmpty())).as("a record appears").isTrue();
    return directory.files().getFirst();
  }

  private Path write(RunRecord record) throws IOException {
    return Files.writeString(runDirectory.resolve(record.fileName()), record.format());
  }

  private static List<ProcStat> members(long pgid) throws IOException {
    return ProcStat.members(pgid, stat -> true);
  }

  private static boolean running(long pid) {
    return ProcStat.of(pid).map(ProcStat::running).orElse(false);
  }

  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }

  /** Whether {@code condition} holds within 15 seconds. */
  private static boolean await(Condition condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private interface Condition {
    boolean holds() throws Exception;
  }
}
