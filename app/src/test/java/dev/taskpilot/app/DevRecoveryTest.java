package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpilot.store.ApprovalTokenHash;
import dev.taskpilot.store.ApprovalTokenRepository;
import dev.taskpilot.store.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded engine forgets everything when dev stops; PostgreSQL does not. On the next start
 * every open task goes on from what PostgreSQL recorded: a waiting task waits again, a running
 * agent's session is continued, a question is asked again, a gate opens again and its one-tap link
 * still decides it, and publishing goes on without a second delivery.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DevRecoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SESSION = "e5ca2349-f6f0-4193-9054-803fcde83510";

  @Test
  void shouldGoOnFromWhatPostgresRecordedWhenTheEngineRestartsEmpty() throws Exception {
    // given: tasks waiting for their start, running, asking, at a gate and publishing; dev stops
    Path dataDir = Files.createTempDirectory("taskpilot-recovery-");
    Map<String, String> database = TestDatabase.freshDatasourceProperties();
    Map<String, Object> config = sessionAgents();
    String slot =
        Instant.now().plus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    String waiting;
    String running;
    String asking;
    String gated;
    String publishing;
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String link = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    try (Receivers receivers = new Receivers()) {
      config.put("taskpilot.network.allowed-hosts", List.of("127.0.0.1/32"));
      // The second target refuses once: its next attempt is minutes away when dev stops.
      receivers.failFirst("/hooks/late", 1);
      try (RunningTaskpilot first = RunningTaskpilot.dev(1, dataDir, database, config)) {
        waiting =
            first
                .create("{\"prompt\": \"later\", \"notBefore\": \"" + slot + "\"}")
                .path("id")
                .asText();
        running = create(first, "fc-hang", "");
        asking = create(first, "fc-question", "");
        gated =
            first
                .create("{\"prompt\": \"gated\", \"approval\": {\"beforeRun\": true}}")
                .path("id")
                .asText();
        ObjectNode body = RunningTaskpilot.JSON.createObjectNode().put("prompt", "publish");
        body.putArray("publish")
            .add(webhook(receivers, "/hooks/once"))
            .add(webhook(receivers, "/hooks/late"));
        publishing = first.create(body.toString()).path("id").asText();

        first.awaitStatus(waiting, "SCHEDULED", WAIT);
        first.awaitStatus(running, "RUNNING", WAIT);
        awaitOutput(first, running, SESSION);
        first.awaitStatus(asking, "WAITING_FOR_INPUT", WAIT);
        first.awaitStatus(gated, "AWAITING_APPROVAL", WAIT);
        first.awaitStatus(publishing, "PUBLISHING", WAIT);
        awaitRequests(receivers, "/hooks/late", 1);
        // A one-tap link made for the gate, as the notifier makes them.
        first
            .runtime()
            .context()
            .getBean(ApprovalTokenRepository.class)
            .add(
                ApprovalTokenHash.of(link), gated, 1, Instant.now().truncatedTo(ChronoUnit.MICROS));
      }
      assertThat(receivers.at("/hooks/once")).hasSize(1);

      // when: dev starts again on the same database with a fresh, empty engine
      try (RunningTaskpilot second = RunningTaskpilot.dev(1, dataDir, database, config)) {
        // then: the waiting task waits for its start again and answers commands
        JsonNode restarted = second.awaitStatus(waiting, "SCHEDULED", WAIT);
        assertThat(Instant.parse(restarted.path("notBefore").asText()))
            .isEqualTo(Instant.parse(slot));
        assertThat(second.post("/api/v1/tasks/" + waiting + "/pause", "").statusCode())
            .as("the restarted workflow answers commands")
            .isEqualTo(200);

        // the running agent's session goes on
        JsonNode resumed = second.awaitStatus(running, "SUCCEEDED", WAIT);
        assertThat(resumed.path("run").path("sessionId").asText()).isEqualTo(SESSION);
        String runningOutput = second.get("/api/v1/tasks/" + running + "/output").body();
        assertThat(runningOutput)
            .contains("[taskpilot] HANDED OVER")
            .contains("\"subtype\":\"resumed\"");

        // the question is asked again, and its answer continues the session
        JsonNode asked = second.awaitStatus(asking, "WAITING_FOR_INPUT", WAIT);
        assertThat(asked.path("statusReason").asText()).startsWith("Which branch should I use?");
        HttpResponse<String> answered =
            second.post("/api/v1/tasks/" + asking + "/input", "{\"text\": \"Use main\"}");
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        second.awaitStatus(asking, "SUCCEEDED", WAIT);
        assertThat(second.get("/api/v1/tasks/" + asking + "/output").body())
            .contains("\"subtype\":\"resumed\"");

        // the gate opens again, and the link made before the restart decides it
        second.awaitStatus(gated, "AWAITING_APPROVAL", WAIT);
        HttpResponse<String> tapped =
            second.send(
                TestHttp.request(second.uri("/api/v1/approvals/" + link + "/approve"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build());
        assertThat(tapped.statusCode()).as(tapped.body()).isEqualTo(200);
        second.awaitStatus(gated, "SUCCEEDED", WAIT);

        // publishing goes on: the target that had it gets nothing twice, the other gets it once
        JsonNode published = second.awaitStatus(publishing, "SUCCEEDED", WAIT);
        assertThat(published.path("result").path("publications")).hasSize(2);
        assertThat(receivers.at("/hooks/once")).hasSize(1);
        assertThat(receivers.effectiveDeliveries("/hooks/late")).isEqualTo(1);
        System.out.printf(
            "dev restart: /hooks/once got %d request(s), /hooks/late %d (%d effective)%n",
            receivers.at("/hooks/once").size(),
            receivers.at("/hooks/late").size(),
            receivers.effectiveDeliveries("/hooks/late"));
      }
    }
  }

  /** Claude Code stream-json agents replaying real transcripts, with sessions. */
  private static Map<String, Object> sessionAgents() {
    Path home = Path.of(System.getProperty("taskpilot.home"));
    Path transcripts = home.resolve("activities/src/test/resources/transcripts");
    String replay = home.resolve("agents/fake-agent-replay.sh").toString();
    String wrapper =
        home.resolve("app/src/test/resources/agents/fake-claude-session.sh").toString();
    String success = transcripts.resolve("success-write-tool.jsonl").toString();
    Map<String, Object> config = new HashMap<>();
    Map.of("fc-hang", "STALL", "fc-question", transcripts.resolve("question.jsonl").toString())
        .forEach(
            (name, transcript) -> {
              String key = "taskpilot.agents." + name + ".";
              config.put(key + "command", List.of("bash", wrapper, replay, transcript, success));
              // The default sandbox shows the scripts and transcripts only when listed.
              config.put(key + "sandbox-paths", List.of(wrapper, replay, transcripts.toString()));
              config.put(key + "format", "claude-stream-json");
              config.put(key + "prompt", "argument");
              config.put(key + "resume-args", List.of("--resume", "{sessionId}"));
              config.put(key + "stall-timeout", "10m");
            });
    return config;
  }

  private static String create(RunningTaskpilot taskpilot, String agent, String extra) {
    return taskpilot
        .create("{\"prompt\": \"Write RESULT.md\", \"agent\": \"" + agent + "\"" + extra + "}")
        .path("id")
        .asText();
  }

  private static ObjectNode webhook(Receivers receivers, String path) {
    return RunningTaskpilot.JSON
        .createObjectNode()
        .put("type", "webhook")
        .put("url", receivers.url(path))
        .put("secret", "restart-webhook-secret-0123");
  }

  private static void awaitOutput(RunningTaskpilot taskpilot, String id, String text)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (!taskpilot.get("/api/v1/tasks/" + id + "/output").body().contains(text)) {
      assertThat(Instant.now()).as("output of %s never showed %s", id, text).isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private static void awaitRequests(Receivers receivers, String path, int count)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (receivers.at(path).size() < count) {
      assertThat(Instant.now()).as("%s never got %d request(s)", path, count).isBefore(deadline);
      Thread.sleep(50);
    }
  }
}
