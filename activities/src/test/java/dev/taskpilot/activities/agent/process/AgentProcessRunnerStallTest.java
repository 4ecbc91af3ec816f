package dev.taskpilot.activities.agent.process;

import static dev.taskpilot.activities.agent.process.AgentFixtures.FAST;
import static dev.taskpilot.activities.agent.process.AgentFixtures.spec;
import static dev.taskpilot.activities.agent.process.AgentFixtures.stillAlive;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.process.RunOutcome.Exited;
import dev.taskpilot.activities.agent.process.RunOutcome.Stalled;
import dev.taskpilot.activities.agent.profile.AgentProfile;
import dev.taskpilot.activities.agent.profile.AgentSandbox;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentProcessRunnerStallTest {
  private static final Duration STALL = Duration.ofMillis(300);

  @TempDir Path workspace;

  private final InMemoryAgentOutputSink sink = new InMemoryAgentOutputSink();
  private final AgentProcessRunner runner = new AgentProcessRunner(sink, FAST);

  @Test
  void shouldKillTreeAndReportStallWhenAgentFallsSilent() throws Exception {
    // given: one line, then a child that sleeps in silence
    List<String> command = List.of("bash", "-c", "sleep 30 & echo child $!; wait");
    AgentProcessSpec spec =
        spec("s1", command, PromptMode.STDIN, "", workspace).withStallTimeout(STALL);

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isInstanceOf(Stalled.class);
    Duration silentFor = ((Stalled) result.outcome()).silentFor();
    assertThat(silentFor).isBetween(STALL, STALL.plusSeconds(1));
    assertThat(Duration.between(result.startedAt(), result.endedAt()))
        .isLessThan(Duration.ofSeconds(3));
    assertThat(sink.texts("s1")).hasSize(1);
    long child = Long.parseLong(sink.texts("s1").getFirst().substring(6));
    assertThat(stillAlive(child)).isFalse();
  }

  @Test
  void shouldReportStallWhenAgentNeverPrints() {
    // given
    AgentProcessSpec spec =
        spec("s2", List.of("sleep", "30"), PromptMode.STDIN, "", workspace).withStallTimeout(STALL);

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isInstanceOf(Stalled.class);
    assertThat(result.lines()).isZero();
  }

  @Test
  void shouldNotStallWhenOutputKeepsComingEvenWithoutLineBreaks() {
    // given: 1.2 s of output, a dot every 100 ms and a line at the end, with a 300 ms stall limit
    List<String> command =
        List.of("bash", "-c", "for i in $(seq 12); do printf .; sleep 0.1; done; echo; echo done");
    AgentProcessSpec spec =
        spec("s3", command, PromptMode.STDIN, "", workspace).withStallTimeout(STALL);

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isEqualTo(new Exited(0));
    assertThat(sink.texts("s3")).containsExactly("............", "done");
  }

  @Test
  void shouldTakeStallTimeoutAndSandboxFromProfileWhenSpecIsForProfile() {
    // given
    AgentProfile profile =
        new AgentProfile(
            "quiet",
            List.of("true"),
            null,
            null,
            null,
            null,
            Duration.ofSeconds(42),
            AgentSandbox.BUBBLEWRAP);

    // when
    AgentProcessSpec spec =
        spec("s4", List.of("true"), PromptMode.STDIN, "", workspace).withProfile(profile);

    // then
    assertThat(spec.profile()).isEqualTo("quiet");
    assertThat(spec.stallTimeout()).isEqualTo(Duration.ofSeconds(42));
    assertThat(spec.sandbox()).isEqualTo(AgentSandbox.BUBBLEWRAP);
    assertThat(spec("s5", List.of("true"), PromptMode.STDIN, "", workspace).stallTimeout())
        .isEqualTo(Duration.ofMinutes(10));
  }
}
