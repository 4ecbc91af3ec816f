package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.store.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Claude Code's stream-json through the whole stack, with a fake agent that replays the CLI's real
 * transcripts: sessions, questions, usage limits, budgets and stalls.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AgentSessionsEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SESSION = "e5ca2349-f6f0-4193-9054-803fcde83510";
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    Path home = Path.of(System.getProperty("taskpilot.home"));
    Path transcripts = home.resolve("activities/src/test/resources/transcripts");
    String replay = home.resolve("agents/fake-agent-replay.sh").toString();
    String wrapper =
        home.resolve("app/src/test/resources/agents/fake-claude-session.sh").toString();
    String success = transcripts.resolve("success-write-tool.jsonl").toString();
    Map<String, Object> config = new HashMap<>();
    Map<String, String> first =
        Map.of(
            "fc-success",
            success,
            "fc-question",
            transcripts.resolve("question.jsonl").toString(),
            "fc-limit",
            transcripts.resolve("limit.jsonl").toString(),
            "fc-stall",
            "STALL");
    first.forEach(
        (name, transcript) -> {
          String key = "taskpilot.agents." + name + ".";
          config.put(key + "command", List.of("bash", wrapper, replay, transcript, success));
          // The default sandbox shows the scripts and transcripts only when listed.
          config.put(key + "sandbox-paths", List.of(wrapper, replay, transcripts.toString()));
          config.put(key + "format", "claude-stream-json");
          config.put(key + "prompt", "argument");
          config.put(key + "resume-args", List.of("--resume", "{sessionId}"));
          config.put(key + "stall-timeout", "2s");
        });
    config.put("taskpilot.activities.run-agent.initial-interval", "200ms");
    taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-sessions-"),
            TestDatabase.freshDatasourceProperties(),
            config);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  private static String create(String agent, String extra) {
    return taskpilot
        .create("{\"prompt\": \"Write RESULT.md\", \"agent\": \"" + agent + "\"" + extra + "}")
        .path("id")
        .asText();
  }

  private static String output(String id) {
    return taskpilot.get("/api/v1/tasks/" + id + "/output").body();
  }

  @Test
  void shouldRecordSessionCostAndResultWhenTheAgentSucceeds() {
    // when
    String id = create("fc-success", "");
    JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    // then
    assertThat(done.path("run").path("sessionId").asText()).isEqualTo(SESSION);
    assertThat(done.path("run").path("costUsd").decimalValue()).isEqualByComparingTo("0.0016");
    assertThat(done.path("result").path("summary").asText()).isEqualTo("Done: RESULT.md written.");
  }

  @Test
  void shouldWaitForInputAndResumeTheSessionWithTheAnswer() {
    // given
    String id = create("fc-question", "");
    JsonNode waiting = taskpilot.awaitStatus(id, "WAITING_FOR_INPUT", WAIT);
    assertThat(waiting.path("statusReason").asText()).startsWith("Which branch should I use?");
    // when
    HttpResponse<String> answered =
        taskpilot.post("/api/v1/tasks/" + id + "/input", "{\"text\": \"Use main\"}");
    // then
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    assertThat(output(id)).contains("\"subtype\":\"resumed\"");
  }

  @Test
  void shouldParkUntilTheLimitResetsWhenTheProviderSaysSo() {
    // when
    String id = create("fc-limit", "");
    JsonNode parked = taskpilot.awaitStatus(id, "PARKED", WAIT);
    // then
    assertThat(parked.path("statusReason").asText()).contains("resumes at");
    assertThat(parked.path("error").isMissingNode() || parked.path("error").isNull()).isTrue();
    assertThat(taskpilot.post("/api/v1/tasks/" + id + "/cancel", "").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldStopAtTheBudgetAndResumeWhenMoreIsApproved() {
    // given
    String id = create("fc-success", ", \"budgetUsd\": 0.001");
    JsonNode stopped = taskpilot.awaitStatus(id, "AWAITING_APPROVAL", WAIT);
    assertThat(stopped.path("statusReason").asText()).isEqualTo("BUDGET_EXCEEDED");
    assertThat(stopped.path("approval").path("waitingAt").asText()).isEqualTo("budget");
    // when
    int withoutBudget = taskpilot.post("/api/v1/tasks/" + id + "/approve", "{}").statusCode();
    HttpResponse<String> approved =
        taskpilot.post("/api/v1/tasks/" + id + "/approve", "{\"budgetUsd\": 1}");
    // then
    assertThat(withoutBudget).isEqualTo(400);
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    assertThat(output(id)).contains("\"subtype\":\"resumed\"");
  }

  @Test
  void shouldKillAStalledAgentAndContinueItsSessionOnTheRetry() {
    // when
    String id = create("fc-stall", "");
    JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    // then
    String output = output(id);
    assertThat(output).contains("[taskpilot] STALLED");
    assertThat(output).contains("\"subtype\":\"resumed\",\"session_id\":\"" + SESSION + "\"");
    assertThat(done.path("run").path("attempt").asInt()).isEqualTo(2);
  }
}
