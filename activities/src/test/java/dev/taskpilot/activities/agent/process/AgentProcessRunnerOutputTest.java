package dev.taskpilot.activities.agent.process;

import static dev.taskpilot.activities.agent.process.AgentFixtures.FAST;
import static dev.taskpilot.activities.agent.process.AgentFixtures.spec;
import static dev.taskpilot.activities.agent.process.AgentFixtures.stillAlive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskpilot.activities.agent.process.RunOutcome.Exited;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.output.AgentOutputSink;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import dev.taskpilot.activities.output.OutputLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentProcessRunnerOutputTest {
  @TempDir Path workspace;

  @Test
  void shouldStoreEveryLineInBoundedBatchesWhenOutputIsHuge() {
    // given: 200,000 lines of 100 bytes, 20 MB in all
    CountingSink sink = new CountingSink();
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST);
    String line = "x".repeat(99);
    List<String> command = List.of("bash", "-c", "yes " + line + " | head -n 200000; echo last");
    AgentProcessSpec spec = spec("h1", command, PromptMode.STDIN, "", workspace);

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isEqualTo(new Exited(0));
    assertThat(result.lines()).isEqualTo(200_001);
    assertThat(sink.count).isEqualTo(200_001);
    assertThat(sink.largestBatchBytes)
        .as("batches are cut at 64 KiB of text, not at a line count")
        .isLessThanOrEqualTo(64 * 1024)
        .isGreaterThan(32 * 1024);
    assertThat(result.tail()).hasSizeLessThanOrEqualTo(4_096).endsWith(line + "\nlast");
    assertThat(Duration.between(result.startedAt(), result.endedAt()))
        .isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void shouldStoreLineWithinFlushIntervalWhenAgentKeepsRunning() {
    // given: one line, then a long quiet spell
    InMemoryAgentOutputSink sink = new InMemoryAgentOutputSink();
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST);
    List<String> command = List.of("bash", "-c", "echo first; sleep 30");
    AgentProcessSpec spec = spec("h4", command, PromptMode.STDIN, "", workspace);
    AtomicReference<Instant> storedAt = new AtomicReference<>();

    // when
    AgentProcessResult result =
        runner.run(
            spec,
            () -> !sink.lines("h4").isEmpty() && storedAt.compareAndSet(null, Instant.now()),
            progress -> {});

    // then
    Instant readAt = sink.lines("h4").getFirst().at();
    assertThat(Duration.between(readAt, storedAt.get()))
        .isLessThan(FAST.flushInterval().plusMillis(250));
    assertThat(result.lines()).isEqualTo(1);
  }

  @Test
  void shouldCountUtf8BytesWhenMeasuringBatches() {
    // when / then
    assertThat(OutputPump.utf8Length("a\u00e9\u20ac\ud83d\ude00")).isEqualTo(1 + 2 + 3 + 4);
  }

  @Test
  void shouldTruncateLineWhenLongerThanLimit() {
    // given: one line of 100,000 bytes
    InMemoryAgentOutputSink sink = new InMemoryAgentOutputSink();
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST);
    List<String> command =
        List.of("bash", "-c", "head -c 100000 /dev/zero | tr '\\0' a; echo; echo next");
    AgentProcessSpec spec = spec("h2", command, PromptMode.STDIN, "", workspace);

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    List<String> lines = sink.texts("h2");
    assertThat(lines).hasSize(2);
    assertThat(lines.getFirst())
        .startsWith("a".repeat(16_384) + " [")
        .endsWith("[... " + (100_000 - 16_384) + " more bytes truncated]");
    assertThat(lines.getLast()).isEqualTo("next");
    assertThat(result.tail()).as("the long line does not fit the tail").isEqualTo("next");
  }

  @Test
  void shouldKillAgentAndRethrowWhenSinkFails() throws Exception {
    // given
    IllegalStateException databaseDown = new IllegalStateException("database down");
    List<OutputLine> stored = new CopyOnWriteArrayList<>();
    AgentOutputSink failing =
        new AgentOutputSink() {
          @Override
          public long lastLineNumber(String taskId) {
            return 0;
          }

          @Override
          public void append(String taskId, int attempt, List<OutputLine> lines) {
            stored.addAll(lines);
            throw databaseDown;
          }
        };
    AgentProcessRunner runner = new AgentProcessRunner(failing, FAST);
    List<String> command = List.of("bash", "-c", "echo $$; sleep 300");
    AgentProcessSpec spec = spec("h3", command, PromptMode.STDIN, "", workspace);

    // when
    Throwable thrown = catchThrowable(() -> runner.run(spec, () -> false, progress -> {}));

    // then
    assertThat(thrown).isSameAs(databaseDown);
    assertThat(stored).hasSize(1);
    assertThat(stillAlive(Long.parseLong(stored.getFirst().text()))).isFalse();
  }

  /** Counts lines and checks that their numbers run on without gaps. */
  private static final class CountingSink implements AgentOutputSink {
    private long count;
    private long largestBatchBytes;

    @Override
    public long lastLineNumber(String taskId) {
      return 0;
    }

    @Override
    public synchronized void append(String taskId, int attempt, List<OutputLine> lines) {
      long bytes = 0;
      for (OutputLine line : lines) {
        if (line.number() != count + 1) {
          throw new AssertionError("line " + line.number() + " after " + count);
        }
        count++;
        bytes += line.text().getBytes(StandardCharsets.UTF_8).length + 1;
      }
      largestBatchBytes = Math.max(largestBatchBytes, bytes);
    }
  }
}
