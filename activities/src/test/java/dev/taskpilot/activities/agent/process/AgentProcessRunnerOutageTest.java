package dev.taskpilot.activities.agent.process;

import static dev.taskpilot.activities.agent.process.AgentFixtures.FAST;
import static dev.taskpilot.activities.agent.process.AgentFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskpilot.activities.agent.process.RunOutcome.Exited;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.output.AgentOutputSink;
import dev.taskpilot.activities.output.OutputLine;
import java.nio.file.Path;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * While PostgreSQL is away, a run keeps its output in memory and goes on; when it is back every
 * line is stored once, in order. The run waits for it after the agent ended, heartbeating, and
 * gives its attempt up only when the outage outlasts its wait.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AgentProcessRunnerOutageTest {
  @TempDir Path workspace;

  @Test
  void shouldStoreEveryLineOnceInOrderWhenTheDatabaseIsAwayDuringTheRun() throws Exception {
    // given: 400 numbered lines over about 2 s; the first write of the outage commits and then
    // loses its connection, as a commit whose answer never came does
    OutageSink sink = new OutageSink();
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST);
    AgentProcessSpec spec = spec("o1", numbered(400, "0.005"), PromptMode.STDIN, "", workspace);
    CompletableFuture<AgentProcessResult> running =
        CompletableFuture.supplyAsync(() -> runner.run(spec, () -> false, progress -> {}));
    sink.awaitStored(50);

    // when
    sink.goDown(true);
    Thread.sleep(1_000);
    sink.comeBack();
    AgentProcessResult result = running.get(60, TimeUnit.SECONDS);

    // then
    assertThat(result.outcome()).isEqualTo(new Exited(0));
    assertThat(sink.failedWrites()).as("writes refused during the outage").isPositive();
    assertThat(sink.texts()).containsExactlyElementsOf(expected(400));
    assertThat(sink.numbers())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 400).boxed().toList());
  }

  @Test
  void shouldHoldTheAgentBackWhenTheBufferIsFullAndLoseNothing() throws Exception {
    // given: a buffer of 4 KiB and an agent printing 3,000 lines (~17 KiB) as fast as it can
    OutageSink sink = new OutageSink();
    AgentProcessRunner runner =
        new AgentProcessRunner(sink, FAST.withOutageBuffer(4 * 1024, Duration.ofMinutes(1)));
    AgentProcessSpec spec = spec("o2", numbered(3_000, "0"), PromptMode.STDIN, "", workspace);
    sink.failLastLineNumberToo = false;
    sink.goDown(false);

    // when: the database is away for the first 1.5 s of the run
    CompletableFuture<AgentProcessResult> running =
        CompletableFuture.supplyAsync(() -> runner.run(spec, () -> false, progress -> {}));
    sink.awaitFailedWrites(3);
    Thread.sleep(1_500);
    int heldBack = sink.largestPendingSeen();
    sink.comeBack();
    AgentProcessResult result = running.get(60, TimeUnit.SECONDS);

    // then: nothing lost, nothing doubled, and never more than the buffer kept waiting
    assertThat(result.outcome()).isEqualTo(new Exited(0));
    assertThat(sink.texts()).containsExactlyElementsOf(expected(3_000));
    assertThat(heldBack)
        .as("bytes offered in one refused write")
        .isLessThanOrEqualTo(4 * 1024 + 16);
  }

  @Test
  void shouldWaitForTheDatabaseAfterTheAgentEndedAndHeartbeatMeanwhile() throws Exception {
    // given: an agent that prints ten lines and ends while the database is away
    OutageSink sink = new OutageSink();
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST);
    AgentProcessSpec spec = spec("o3", numbered(10, "0"), PromptMode.STDIN, "", workspace);
    AtomicInteger heartbeats = new AtomicInteger();
    sink.failLastLineNumberToo = false;
    sink.goDown(false);

    // when
    CompletableFuture<AgentProcessResult> running =
        CompletableFuture.supplyAsync(
            () -> runner.run(spec, () -> false, progress -> heartbeats.incrementAndGet()));
    sink.awaitFailedWrites(4);
    int beforeComingBack = heartbeats.get();
    Thread.sleep(1_000);
    sink.comeBack();
    AgentProcessResult result = running.get(60, TimeUnit.SECONDS);

    // then
    assertThat(result.outcome()).isEqualTo(new Exited(0));
    assertThat(sink.texts()).containsExactlyElementsOf(expected(10));
    assertThat(beforeComingBack).as("heartbeats while waiting for the database").isPositive();
  }

  @Test
  void shouldWaitForTheDatabaseBeforeTheAgentStarts() throws Exception {
    // given: the database is away when the run begins
    OutageSink sink = new OutageSink();
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST);
    AgentProcessSpec spec = spec("o4", numbered(5, "0"), PromptMode.STDIN, "", workspace);
    sink.goDown(false);

    // when
    CompletableFuture<AgentProcessResult> running =
        CompletableFuture.supplyAsync(() -> runner.run(spec, () -> false, progress -> {}));
    sink.awaitFailedReads(2);
    sink.comeBack();
    AgentProcessResult result = running.get(60, TimeUnit.SECONDS);

    // then
    assertThat(result.outcome()).isEqualTo(new Exited(0));
    assertThat(sink.texts()).containsExactlyElementsOf(expected(5));
  }

  @Test
  void shouldGiveTheAttemptUpWhenTheOutageOutlastsItsWait() {
    // given: a wait of 1 s and a database that does not come back
    OutageSink sink = new OutageSink();
    sink.failLastLineNumberToo = false;
    AgentProcessRunner runner =
        new AgentProcessRunner(sink, FAST.withOutageBuffer(1024 * 1024, Duration.ofSeconds(1)));
    AgentProcessSpec spec = spec("o5", numbered(3, "0"), PromptMode.STDIN, "", workspace);
    sink.goDown(false);

    // when
    Throwable thrown = catchThrowable(() -> runner.run(spec, () -> false, progress -> {}));

    // then
    assertThat(thrown)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PostgreSQL was unavailable")
        .hasMessageContaining("3 output line(s)");
    assertThat(sink.texts()).isEmpty();
  }

  private static List<String> numbered(int count, String delay) {
    return List.of(
        "bash",
        "-c",
        "for i in $(seq 1 " + count + "); do echo \"line $i\"; sleep " + delay + "; done");
  }

  private static List<String> expected(int count) {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      lines.add("line " + i);
    }
    return lines;
  }

  /**
   * A sink that can be taken down: it then refuses writes (and reads) with the connection failure
   * the pool throws, as PostgreSQL being away looks to the code. Like the real table it keeps one
   * line per number, so a batch stored twice stores nothing twice.
   */
  private static final class OutageSink implements AgentOutputSink {
    private final TreeMap<Long, String> stored = new TreeMap<>();
    private boolean down;
    private boolean commitOnce;
    private int failedWrites;
    private int failedReads;
    private int largestPending;
    volatile boolean failLastLineNumberToo = true;

    synchronized void goDown(boolean commitTheFirstWrite) {
      down = true;
      commitOnce = commitTheFirstWrite;
    }

    synchronized void comeBack() {
      down = false;
    }

    @Override
    public synchronized long lastLineNumber(String taskId) {
      if (down && failLastLineNumberToo) {
        failedReads++;
        notifyAll();
        throw unavailable();
      }
      return stored.isEmpty() ? 0 : stored.lastKey();
    }

    @Override
    public synchronized void append(String taskId, int attempt, List<OutputLine> lines) {
      if (down) {
        failedWrites++;
        largestPending =
            Math.max(largestPending, lines.stream().mapToInt(l -> l.text().length() + 1).sum());
        if (commitOnce) {
          commitOnce = false;
          lines.forEach(line -> stored.putIfAbsent(line.number(), line.text()));
        }
        notifyAll();
        throw unavailable();
      }
      lines.forEach(line -> stored.putIfAbsent(line.number(), line.text()));
      notifyAll();
    }

    private static RuntimeException unavailable() {
      return new RuntimeException(
          "Failed to obtain JDBC Connection",
          new SQLTransientConnectionException("HikariPool-1 - Connection is not available"));
    }

    synchronized void awaitStored(int lines) throws InterruptedException {
      while (stored.size() < lines) {
        wait(1_000);
      }
    }

    synchronized void awaitFailedWrites(int count) throws InterruptedException {
      while (failedWrites < count) {
        wait(1_000);
      }
    }

    synchronized void awaitFailedReads(int count) throws InterruptedException {
      while (failedReads < count) {
        wait(1_000);
      }
    }

    synchronized int failedWrites() {
      return failedWrites;
    }

    synchronized int largestPendingSeen() {
      return largestPending;
    }

    synchronized List<String> texts() {
      return List.copyOf(stored.values());
    }

    synchronized List<Long> numbers() {
      return List.copyOf(stored.keySet());
    }
  }
}
