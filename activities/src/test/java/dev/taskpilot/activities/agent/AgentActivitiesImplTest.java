package dev.taskpilot.activities.agent;

import static dev.taskpilot.activities.agent.process.AgentFixtures.FAST;
import static dev.taskpilot.activities.agent.process.AgentFixtures.exampleAgent;
import static dev.taskpilot.activities.agent.process.AgentFixtures.stillAlive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.taskpilot.activities.agent.format.AgentEvent;
import dev.taskpilot.activities.agent.format.AgentEvent.SessionStarted;
import dev.taskpilot.activities.agent.format.AgentOutputFormat;
import dev.taskpilot.activities.agent.process.AgentProcessRunner;
import dev.taskpilot.activities.agent.profile.AgentProfile;
import dev.taskpilot.activities.agent.profile.AgentProfiles;
import dev.taskpilot.activities.agent.profile.AgentSandbox;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.activities.agent.workspace.WorkspacesConfig;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import dev.taskpilot.activities.output.OutputListeners;
import dev.taskpilot.activities.slots.AgentSlots;
import dev.taskpilot.activities.worktree.Worktrees;
import dev.taskpilot.store.AgentSessionRepository;
import dev.taskpilot.store.LlmCallRepository;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.activities.agent.AgentActivities;
import dev.taskpilot.workflows.activities.agent.AgentRunRequest;
import dev.taskpilot.workflows.activities.agent.AgentRunResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class AgentActivitiesImplTest {
  @TempDir Path root;

  private final InMemoryAgentOutputSink sink = new InMemoryAgentOutputSink();
  private final List<AgentHeartbeat> heartbeats = new CopyOnWriteArrayList<>();
  private TestActivityEnvironment environment;
  private AgentActivities activities;

  @BeforeEach
  void register() {
    AgentProfiles profiles =
        new AgentProfiles(
            List.of(
                profile("example", exampleAgent().toString()),
                profile("sleeper", "bash", "-c", "sleep 30"),
                // Prints its pids for the test to look up, which a sandbox's own PID namespace
                // would renumber: unconfined (AgentProcessRunnerSandboxTest kills a sandbox).
                profile("tree", "bash", "-c", "sleep 300 & echo $!; echo $$; wait")
                    .withSandbox(AgentSandbox.NONE, List.of(), List.of()),
                resuming(ARGS, true),
                resuming("bare", false),
                replayProfile()));
    Map<String, String> server = new HashMap<>(System.getenv());
    server.put("EXAMPLE_AGENT_DELAY", "0.05");
    AgentProcessRunner runner =
        new AgentProcessRunner(sink, FAST.withRunDirectory(root.resolve("_run")));
    environment = TestActivityEnvironment.newInstance();
    Workspaces workspaces = new Workspaces(new WorkspacesConfig(root));
    AgentSlots slots = mock(AgentSlots.class);
    when(slots.renew(anyString(), any())).thenReturn(true);
    when(slots.lease()).thenReturn(Duration.ofSeconds(60));
    AgentRunCollaborators collaborators =
        new AgentRunCollaborators(
            new Worktrees(workspaces),
            slots,
            new OutputListeners(),
            mock(LlmCallRepository.class),
            sink,
            mock(AgentSessionRepository.class));
    environment.registerActivitiesImplementations(
        new AgentActivitiesImpl(
            profiles, workspaces, runner, server, collaborators, new SimpleMeterRegistry()));
    environment.setActivityHeartbeatListener(AgentHeartbeat.class, heartbeats::add);
    activities =
        environment.newActivityStub(
            AgentActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setHeartbeatTimeout(Duration.ofSeconds(1))
                .build());
  }

  @AfterEach
  void close() {
    environment.close();
  }

  @Test
  void shouldReturnResultWithTailWhenAgentSucceeds() {
    // when
    AgentRunResult result = activities.run(request("a1", "example", null, "Hello", null));

    // then
    assertThat(result.attempt()).isEqualTo(1);
    assertThat(result.exitCode()).isZero();
    assertThat(result.outputLines()).isEqualTo(6);
    assertThat(result.resultText()).endsWith("Done: wrote RESULT.md");
    assertThat(root.resolve("_tasks/a1/RESULT.md")).content().contains("Hello");
    assertThat(heartbeats).isNotEmpty();
  }

  @Test
  void shouldFailNonRetryablyWithAgentFailedWhenExitCodeIsNonZero() {
    // when
    ApplicationFailure failure = failureOf(request("a2", "example", null, "FAIL please", null));

    // then
    assertThat(failure.getType()).isEqualTo(ErrorType.AGENT_FAILED.name());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("exited with code 3")
        .endsWith("the prompt asked the example agent to fail");
  }

  @Test
  void shouldFailWithAgentTimeoutWhenTaskTimeoutPasses() {
    // when
    ApplicationFailure failure =
        failureOf(request("a3", "sleeper", null, "", Duration.ofMillis(300)));

    // then
    assertThat(failure.getType()).isEqualTo(ErrorType.AGENT_TIMEOUT.name());
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void shouldFailWithUnknownAgentOrWorkspaceWhenTheyDoNotExist() {
    // when
    ApplicationFailure agent = failureOf(request("a4", "nobody", null, "", null));
    ApplicationFailure workspace = failureOf(request("a4", "example", "../etc", "", null));

    // then
    assertThat(agent.getType()).isEqualTo(ErrorType.UNKNOWN_AGENT.name());
    assertThat(agent.isNonRetryable()).isTrue();
    assertThat(workspace.getType()).isEqualTo(ErrorType.UNKNOWN_WORKSPACE.name());
    assertThat(workspace.isNonRetryable()).isTrue();
  }

  @Test
  void shouldKillProcessTreeWhenCancelledThroughHeartbeat() throws Exception {
    // given
    CompletableFuture<AgentRunResult> running =
        CompletableFuture.supplyAsync(() -> activities.run(request("a5", "tree", null, "", null)));
    while (sink.lines("a5").size() < 2) {
      Thread.sleep(20);
    }

    // when
    environment.requestCancelActivity();
    Throwable thrown = catchThrowable(() -> running.get(10, TimeUnit.SECONDS));

    // then
    assertThat(thrown)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(CanceledFailure.class);
    assertThat(sink.texts("a5")).hasSize(2);
    for (String pid : sink.texts("a5")) {
      assertThat(stillAlive(Long.parseLong(pid))).as("pid %s", pid).isFalse();
    }
  }

  @Test
  void shouldParseClaudeTranscriptWhenReplayAgentRunsInDefaultSandbox() {
    // when
    AgentRunResult result = activities.run(request("a6", "replay", null, "Write RESULT.md", null));

    // then: the real Claude Code stream-json transcript came through the sandbox and parses
    List<String> lines = sink.texts("a6");
    AgentOutputFormat parser = AgentOutputFormat.forName(AgentOutputFormat.CLAUDE_STREAM_JSON);
    List<AgentEvent> events = lines.stream().flatMap(line -> parser.parse(line).stream()).toList();
    assertThat(result.exitCode()).isZero();
    assertThat(lines).hasSize(5);
    assertThat(events)
        .filteredOn(SessionStarted.class::isInstance)
        .map(event -> ((SessionStarted) event).sessionId())
        .containsExactly("e5ca2349-f6f0-4193-9054-803fcde83510");
    AgentEvent.Result last =
        events.stream()
            .filter(AgentEvent.Result.class::isInstance)
            .map(AgentEvent.Result.class::cast)
            .reduce((first, second) -> second)
            .orElseThrow();
    assertThat(last.isError()).isFalse();
    assertThat(last.totalCostUsd()).isEqualByComparingTo("0.0016");
    assertThat(last.numTurns()).isEqualTo(2);
    assertThat(last.resultText()).isEqualTo("Done: RESULT.md written.");
    assertThat(root.resolve("_run-homes/a6")).as("the sandboxed run's home").isDirectory();
  }

  /** Claude Code's stream-json, replayed by agents/fake-agent-replay.sh, in the default sandbox. */
  private static AgentProfile replayProfile() {
    Path home = Path.of(System.getProperty("taskpilot.home", "..")).toAbsolutePath().normalize();
    Path transcript;
    try {
      transcript =
          Path.of(
              AgentActivitiesImplTest.class
                  .getResource("/transcripts/success-write-tool.jsonl")
                  .toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return new AgentProfile(
            "replay",
            List.of(
                home.resolve("agents/fake-agent-replay.sh").toString(), transcript.toString(), "0"),
            PromptMode.ARGUMENT,
            "claude-stream-json",
            List.of(),
            Duration.ofSeconds(20))
        .withSandbox(null, List.of(transcript.getParent().toString()), List.of());
  }

  private ApplicationFailure failureOf(AgentRunRequest request) {
    Throwable thrown = catchThrowable(() -> activities.run(request));
    assertThat(thrown).isInstanceOf(ActivityFailure.class);
    assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) thrown.getCause();
  }

  /** Prints every argument it gets on a line of its own, as "arg:<argument>". */
  private static final String ARGS = "args";

  private static AgentProfile resuming(String name, boolean separatePrompt) {
    return new AgentProfile(
        name,
        List.of("bash", "-c", "for a in \"$@\"; do echo \"arg:$a\"; done", name),
        PromptMode.ARGUMENT,
        "text",
        List.of(),
        Duration.ofSeconds(20),
        null,
        null,
        List.of("--resume", "{sessionId}"),
        null,
        null,
        3,
        separatePrompt,
        null,
        null);
  }

  private static AgentRunRequest resume(String taskId, String agent, String prompt, String id) {
    return new AgentRunRequest(taskId, agent, null, prompt, null, id, null, null);
  }

  @Test
  void shouldPutTheEndOfOptionsBeforeThePromptWhenItIsAnArgument() {
    // when
    activities.run(resume("p1", ARGS, "--dangerously-skip-permissions", "4f1c2b9e-1a2b-4c3d"));

    // then: the prompt is an operand, after the options and the resume arguments
    assertThat(sink.texts("p1"))
        .containsExactly(
            "arg:--resume",
            "arg:4f1c2b9e-1a2b-4c3d",
            "arg:--",
            "arg:--dangerously-skip-permissions");
  }

  @Test
  void shouldRefuseAPromptThatLooksLikeAnOptionWhenTheProfileTakesNoEndOfOptions() {
    // when
    ApplicationFailure failure = failureOf(resume("p2", "bare", "-rf everything", null));

    // then
    assertThat(failure.getType()).isEqualTo(ErrorType.AGENT_START_FAILED.name());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("starts with '-'");
    assertThat(sink.lines("p2")).isEmpty();
    // and a prompt that does not is passed as it is
    activities.run(resume("p3", "bare", "fix it", null));
    assertThat(sink.texts("p3")).containsExactly("arg:fix it");
  }

  @Test
  void shouldRefuseToResumeWhenTheSessionIdIsNotOne() {
    for (String id : List.of("--help", "-x", "a b", "x;rm -rf /", "../../etc", "", "é")) {
      // when
      ApplicationFailure failure = failureOf(resume("p4", ARGS, "go on", id));

      // then
      assertThat(failure.getType()).as(id).isEqualTo(ErrorType.AGENT_START_FAILED.name());
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage()).contains("not passed to agent");
    }
    assertThat(sink.lines("p4")).isEmpty();
  }

  private static AgentProfile profile(String name, String... command) {
    return new AgentProfile(
        name,
        List.of(command),
        PromptMode.ARGUMENT,
        "text",
        List.of("EXAMPLE_AGENT_DELAY"),
        Duration.ofSeconds(20));
  }

  private static AgentRunRequest request(
      String taskId, String agent, String workspace, String prompt, Duration timeout) {
    return new AgentRunRequest(taskId, agent, workspace, prompt, timeout);
  }
}
