package dev.taskpilot.activities.agent.process;

import static dev.taskpilot.activities.agent.process.AgentFixtures.FAST;
import static dev.taskpilot.activities.agent.process.AgentFixtures.spec;
import static dev.taskpilot.activities.agent.process.AgentFixtures.stillAlive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskpilot.activities.agent.process.RunOutcome.Cancelled;
import dev.taskpilot.activities.agent.process.RunOutcome.TimedOut;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentProcessRunnerKillTest {
  /** Prints its pid and group, then starts two children, one of which starts a grandchild. */
  private static final String TREE =
      """
      echo "leader $$ $(cut -d' ' -f5 /proc/$$/stat)"
      sleep 300 & echo "child $!"
      bash -c 'sleep 300 & echo "grandchild $!"; wait' & echo "child $!"
      wait
      """;

  @TempDir Path workspace;

  private final InMemoryAgentOutputSink sink = new InMemoryAgentOutputSink();
  private final AgentProcessRunner runner = new AgentProcessRunner(sink, FAST);

  @Test
  void shouldKillAgentWhenTimeoutPasses() {
    // given
    AgentProcessSpec spec =
        spec("k1", List.of("sleep", "30"), PromptMode.STDIN, "", workspace, Duration.ofMillis(500));

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isEqualTo(new TimedOut(Duration.ofMillis(500)));
    assertThat(Duration.between(result.startedAt(), result.endedAt()))
        .isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void shouldSendSigkillWhenAgentIgnoresSigterm() throws Exception {
    // given
    List<String> command =
        List.of("bash", "-c", "trap '' TERM; echo pid $$; sleep 30; echo survived");
    AgentProcessSpec spec =
        spec("k2", command, PromptMode.STDIN, "", workspace, Duration.ofMillis(500));

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isInstanceOf(TimedOut.class);
    assertThat(sink.texts("k2")).hasSize(1).doesNotContain("survived");
    long pid = Long.parseLong(sink.texts("k2").getFirst().substring(4));
    assertThat(stillAlive(pid)).isFalse();
  }

  @Test
  void shouldKillChildrenAndGrandchildrenWhenCancelled() throws Exception {
    // given
    AgentProcessSpec spec =
        spec("k3", List.of("bash", "-c", TREE), PromptMode.STDIN, "", workspace);

    // when
    AgentProcessResult result =
        runner.run(spec, () -> sink.lines("k3").size() >= 4, progress -> {});

    // then
    assertThat(result.outcome()).isEqualTo(new Cancelled(AgentProcessRunner.CANCELLED));
    List<String> lines = sink.texts("k3");
    String[] leader = lines.getFirst().split(" ");
    assertThat(leader[1]).as("own process group").isEqualTo(leader[2]);
    List<Long> pids = lines.stream().map(line -> Long.parseLong(line.split(" ")[1])).toList();
    assertThat(pids).hasSize(4);
    for (long pid : pids) {
      assertThat(stillAlive(pid)).as("pid %d", pid).isFalse();
    }
  }

  @Test
  void shouldKillTreeAndRethrowWhenProgressCallbackThrows() throws Exception {
    // given
    AgentProcessSpec spec =
        spec("k4", List.of("bash", "-c", TREE), PromptMode.STDIN, "", workspace);
    IllegalStateException cancelledByHeartbeat = new IllegalStateException("heartbeat says stop");

    // when
    Throwable thrown =
        catchThrowable(
            () ->
                runner.run(
                    spec,
                    () -> false,
                    progress -> {
                      if (progress.lines() >= 4) {
                        throw cancelledByHeartbeat;
                      }
                    }));

    // then
    assertThat(thrown).isSameAs(cancelledByHeartbeat);
    List<String> lines = sink.texts("k4");
    assertThat(lines).hasSize(4);
    for (String line : lines) {
      long pid = Long.parseLong(line.split(" ")[1]);
      assertThat(stillAlive(pid)).as(line).isFalse();
    }
  }

  @Test
  void shouldEndLeftoverBackgroundProcessesWhenLeaderExits() throws Exception {
    // given
    List<String> command = List.of("bash", "-c", "sleep 300 & echo bg $!; echo leaving");
    AgentProcessSpec spec = spec("k5", command, PromptMode.STDIN, "", workspace);

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isEqualTo(new RunOutcome.Exited(0));
    assertThat(Duration.between(result.startedAt(), result.endedAt()))
        .isLessThan(Duration.ofSeconds(3));
    long pid = Long.parseLong(sink.texts("k5").getFirst().substring(3));
    assertThat(stillAlive(pid)).isFalse();
  }
}
