package dev.taskpilot.activities.agent.process;

import static dev.taskpilot.activities.agent.process.AgentFixtures.FAST;
import static dev.taskpilot.activities.agent.process.AgentFixtures.exampleAgent;
import static dev.taskpilot.activities.agent.process.AgentFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.activities.agent.process.RunOutcome.Exited;
import dev.taskpilot.activities.agent.process.RunOutcome.StartFailed;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import dev.taskpilot.activities.output.OutputLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentProcessRunnerTest {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  @TempDir Path workspace;

  private final InMemoryAgentOutputSink sink = new InMemoryAgentOutputSink();
  private final AgentProcessRunner runner = new AgentProcessRunner(sink, FAST);

  @Test
  void shouldStoreNumberedOutputAndWriteResultWhenExampleAgentSucceeds() throws Exception {
    // given
    sink.assumeEarlierLines("t1", 40);
    List<AgentProgress> progress = new ArrayList<>();
    AgentProcessSpec spec =
        spec("t1", List.of(exampleAgent().toString()), PromptMode.ARGUMENT, "Say hi", workspace);

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress::add);

    // then
    assertThat(result.outcome()).isEqualTo(new Exited(0));
    assertThat(sink.texts("t1"))
        .hasSize(6)
        .startsWith("Example agent for task t1 in " + workspace.toRealPath(), "Prompt: Say hi")
        .endsWith("Writing RESULT.md...", "Done: wrote RESULT.md");
    assertThat(sink.lines("t1"))
        .extracting(OutputLine::number)
        .containsExactly(41L, 42L, 43L, 44L, 45L, 46L);
    assertThat(result.lines()).isEqualTo(6);
    assertThat(result.lastLine()).isEqualTo("Done: wrote RESULT.md");
    assertThat(result.tail()).endsWith("Writing RESULT.md...\nDone: wrote RESULT.md");
    assertThat(result.endedAt()).isAfter(result.startedAt());
    assertThat(progress).isNotEmpty();
    assertThat(Files.readString(workspace.resolve("RESULT.md"))).contains("Say hi", "Written by");
  }

  @Test
  void shouldReportExitCodeAndLastLineWhenAgentFails() {
    // given
    AgentProcessSpec spec =
        spec("t2", List.of(exampleAgent().toString()), PromptMode.ARGUMENT, "FAIL now", workspace);

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isEqualTo(new Exited(3));
    assertThat(result.lastLine()).isEqualTo("Error: the prompt asked the example agent to fail");
    assertThat(workspace.resolve("RESULT.md")).doesNotExist();
  }

  @Test
  void shouldWritePromptToStdinWhenModeIsStdin() throws Exception {
    // given
    String prompt = "first line\nsecond line";
    AgentProcessSpec spec =
        spec("t3", List.of(exampleAgent().toString(), "-"), PromptMode.STDIN, prompt, workspace);

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isEqualTo(new Exited(0));
    assertThat(sink.texts("t3")).contains("Prompt: first line");
    assertThat(Files.readString(workspace.resolve("RESULT.md"))).contains(prompt);
  }

  @Test
  void shouldAppendPromptAsLastArgumentWhenModeIsArgument() {
    // given
    List<String> command = List.of("printf", "%s|", "fixed");
    AgentProcessSpec spec =
        spec("t4", command, PromptMode.ARGUMENT, "a prompt; $(no shell)", workspace);

    // when
    runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(sink.texts("t4")).containsExactly("fixed|a prompt; $(no shell)|");
  }

  @Test
  void shouldRefuseASpecWhoseArgumentPromptWouldBeReadAsAnOption() {
    // when / then
    assertThatThrownBy(
            () -> spec("t7", List.of("printf", "%s|"), PromptMode.ARGUMENT, "-v", workspace))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'--'");
    AgentProcessSpec separated =
        spec("t7", List.of("printf", "%s|", "--"), PromptMode.ARGUMENT, "-v", workspace);
    runner.run(separated, () -> false, progress -> {});
    assertThat(sink.texts("t7")).containsExactly("--|-v|");
  }

  @Test
  void shouldReportStartFailureWhenProgramDoesNotExist() {
    // given
    AgentProcessSpec spec =
        spec("t5", List.of("no-such-agent-program"), PromptMode.ARGUMENT, "x", workspace);

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isInstanceOf(StartFailed.class);
    assertThat(((StartFailed) result.outcome()).message()).contains("no-such-agent-program");
    assertThat(sink.lines("t5")).isEmpty();
  }

  @Test
  void shouldGiveProcessOnlyItsOwnEnvironmentWhenStarted() throws Exception {
    // given
    Map<String, String> environment = new HashMap<>();
    environment.put("PATH", System.getenv("PATH"));
    environment.put("AGENT_ONLY", "visible");
    AgentProcessSpec spec =
        new AgentProcessSpec(
            "t6", 1, List.of("env"), PromptMode.STDIN, "", workspace, environment, TEN_SECONDS);

    // when
    runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(sink.texts("t6"))
        .containsExactlyInAnyOrder("PATH=" + System.getenv("PATH"), "AGENT_ONLY=visible");
  }
}
