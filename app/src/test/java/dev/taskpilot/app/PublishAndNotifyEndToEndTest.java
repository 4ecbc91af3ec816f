package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpilot.store.testing.TestDatabase;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole of publishing and notifying through the dev role, against real servers on loopback: a
 * webhook receiver, an ntfy-style topic server and a bare git repository as the remote. Each
 * receiver sees each task's result exactly once, even across failures, timeouts and retries; a
 * failing notification channel leaves the task's outcome untouched.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PublishAndNotifyEndToEndTest {
  private static final String SECRET = "a-signing-secret-of-32-characters";
  private static final Pattern ACTION_URL = Pattern.compile("http, (Approve|Reject), ([^,]+),");

  private static Receivers receivers;
  private static RunningTaskpilot taskpilot;
  private static Path dataDir;
  private static Path remote;
  private static String publicUrl;

  @BeforeAll
  static void start() throws Exception {
    receivers = new Receivers();
    dataDir = Files.createTempDirectory("taskpilot-test-");
    Path shop = Files.createDirectories(dataDir.resolve("workspaces/shop"));
    git(shop, "init", "-q", "-b", "main");
    Files.writeString(shop.resolve("README.md"), "# shop\n");
    git(shop, "add", "README.md");
    git(
        shop,
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@localhost",
        "commit",
        "-q",
        "-m",
        "init");
    remote = Files.createDirectories(dataDir.resolve("remotes/shop.git"));
    git(remote, "init", "-q", "--bare");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    publicUrl = "http://127.0.0.1:" + port;
    taskpilot =
        RunningTaskpilot.dev(
            1,
            dataDir,
            TestDatabase.freshDatasourceProperties(),
            Map.ofEntries(
                Map.entry("micronaut.server.port", port),
                Map.entry(FakeDns.ENABLED, true),
                Map.entry("taskpilot.public-url", publicUrl),
                Map.entry("taskpilot.network.allowed-hosts", List.of("127.0.0.1/32")),
                Map.entry(
                    "taskpilot.publish.git.local-remote-roots",
                    List.of(dataDir.resolve("remotes").toString())),
                Map.entry("taskpilot.publish.webhook.timeout", "1s"),
                // The declared 5/15/30-minute schedule, shrunk for a real-time test.
                Map.entry("taskpilot.activities.publish-webhook.initial-interval", "200ms"),
                Map.entry("taskpilot.activities.publish-webhook.maximum-interval", "1s"),
                Map.entry("taskpilot.activities.send-notification.initial-interval", "100ms"),
                Map.entry("taskpilot.agents.example.env", List.of("EXAMPLE_AGENT_DELAY"))));
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
    receivers.close();
  }

  private static String git(Path directory, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes()).strip();
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }

  private static ObjectNode task(String prompt) {
    return RunningTaskpilot.JSON.createObjectNode().put("prompt", prompt);
  }

  private static ObjectNode webhookTarget(String path) {
    return RunningTaskpilot.JSON
        .createObjectNode()
        .put("type", "webhook")
        .put("url", receivers.url(path))
        .put("secret", SECRET);
  }

  private static ObjectNode ntfy(String topic) {
    return RunningTaskpilot.JSON
        .createObjectNode()
        .put("type", "ntfy")
        .put("topic", topic)
        .put("server", receivers.url(""));
  }

  private static JsonNode publications(String id) {
    HttpResponse<String> response = taskpilot.get("/api/v1/tasks/" + id + "/publications");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RunningTaskpilot.json(response).path("items");
  }

  private static JsonNode notifications(String id) {
    HttpResponse<String> response = taskpilot.get("/api/v1/tasks/" + id + "/notifications");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RunningTaskpilot.json(response).path("items");
  }

  @Test
  void shouldApproveFromTheNotificationAndPublishToEveryTargetOnce() throws Exception {
    // given a task that waits for approval and publishes to a webhook, git and a file
    ObjectNode body = task("Update the README of the shop").put("workspace", "shop");
    body.putObject("approval").put("beforeRun", true);
    body.putArray("publish")
        .add(webhookTarget("/hooks/results"))
        .add(
            RunningTaskpilot.JSON
                .createObjectNode()
                .put("type", "git")
                .put("remote", remote.toString()))
        .add(RunningTaskpilot.JSON.createObjectNode().put("type", "file").put("path", "shop.md"));
    body.putArray("notify").add(ntfy("phone"));
    String id = taskpilot.create(body.toString()).path("id").asText();
    taskpilot.awaitStatus(id, "AWAITING_APPROVAL", Duration.ofSeconds(30));

    // when the person taps Approve on the phone
    Receivers.Received approval = awaitOne("/phone", "Approval");
    Map<String, String> actions = actions(approval.header("Actions"));
    assertThat(actions.get("Approve")).startsWith(publicUrl + "/api/v1/approvals/");
    HttpResponse<String> approved = taskpilot.post(path(actions.get("Approve")), "");

    // then
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));
    assertThat(done.path("result").path("publications")).hasSize(3);

    // the webhook saw the result once, signed over its raw body
    List<Receivers.Received> hooks = receivers.at("/hooks/results");
    assertThat(hooks).hasSize(1);
    Receivers.Received hook = hooks.getFirst();
    assertThat(hook.header("X-Taskpilot-Signature"))
        .isEqualTo(Receivers.signature(SECRET, hook.body()));
    assertThat(hook.header("Idempotency-Key")).isNotBlank();
    JsonNode payload = RunningTaskpilot.JSON.readTree(hook.body());
    assertThat(payload.path("taskId").asText()).isEqualTo(id);

    // the remote has the branch with exactly one commit on top of main, carrying RESULT.md
    String branch = "taskpilot/" + id;
    assertThat(git(remote, "rev-list", "--count", branch)).isEqualTo("2");
    assertThat(git(remote, "show", branch + ":RESULT.md")).contains("Update the README");
    assertThat(taskpilot.dataDir().resolve("published/shop.md")).exists();

    JsonNode ledger = publications(id);
    assertThat(ledger).hasSize(3);
    ledger.forEach(row -> assertThat(row.path("status").asText()).isEqualTo("DELIVERED"));

    // the link is single-use: the second tap changes nothing
    HttpResponse<String> again = taskpilot.post(path(actions.get("Approve")), "");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(410);
    assertThat(RunningTaskpilot.json(again).path("code").asText())
        .isEqualTo("APPROVAL_LINK_EXPIRED");
    HttpResponse<String> reject = taskpilot.post(path(actions.get("Reject")), "");
    assertThat(reject.statusCode()).isEqualTo(410);
    assertThat(taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(5))).isNotNull();

    // and the phone heard about the approval and the success (sent after the status changed)
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<String> sent = new ArrayList<>();
    while (!sent.containsAll(List.of("AWAITING_APPROVAL", "SUCCEEDED"))
        && System.nanoTime() < deadline) {
      sent.clear();
      notifications(id)
          .forEach(
              row -> {
                if (row.path("outcome").asText().equals("SENT")) {
                  sent.add(row.path("event").asText());
                }
              });
      if (!sent.containsAll(List.of("AWAITING_APPROVAL", "SUCCEEDED"))) {
        pause();
      }
    }
    assertThat(sent).contains("AWAITING_APPROVAL", "SUCCEEDED");
  }

  @Test
  void shouldDeliverExactlyOnceAcrossFailuresAndATimeout() throws Exception {
    // given one receiver failing twice, one hanging past the client's timeout once
    receivers.failFirst("/hooks/flaky", 2);
    receivers.hangFirst("/hooks/slow");
    ObjectNode body = task("Summarise the tickets");
    body.putArray("publish").add(webhookTarget("/hooks/flaky")).add(webhookTarget("/hooks/slow"));

    // when
    String id = taskpilot.create(body.toString()).path("id").asText();
    taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));

    // then each receiver acted on the result once
    assertThat(receivers.at("/hooks/flaky")).hasSize(3);
    assertThat(receivers.effectiveDeliveries("/hooks/flaky")).isEqualTo(1);
    assertThat(receivers.at("/hooks/slow")).hasSize(2);
    assertThat(receivers.effectiveDeliveries("/hooks/slow")).isEqualTo(1);
    for (Receivers.Received hook : receivers.at("/hooks/slow")) {
      assertThat(hook.header("X-Taskpilot-Signature"))
          .isEqualTo(Receivers.signature(SECRET, hook.body()));
    }

    // and the ledger says why for every attempt
    Map<String, List<String>> outcomes = new java.util.HashMap<>();
    publications(id)
        .forEach(
            row -> {
              assertThat(row.path("status").asText()).isEqualTo("DELIVERED");
              List<String> history = new ArrayList<>();
              row.path("history").forEach(a -> history.add(a.path("outcome").asText()));
              outcomes.put(row.path("target").asText(), history);
            });
    assertThat(outcomes.get("webhook:" + receivers.url("/hooks/flaky")))
        .containsExactly("FAILED", "FAILED", "DELIVERED");
    assertThat(outcomes.get("webhook:" + receivers.url("/hooks/slow")))
        .containsExactly("UNKNOWN", "DELIVERED");
  }

  @Test
  void shouldSucceedAndRecordTheFailureWhenTheNotificationChannelIsDown() {
    // given
    receivers.alwaysAnswer("/down", 500);
    ObjectNode body = task("Tidy the changelog");
    body.putArray("notify").add(ntfy("down"));

    // when
    String id = taskpilot.create(body.toString()).path("id").asText();
    JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));

    // then
    assertThat(done.path("error").isMissingNode() || done.path("error").isNull()).isTrue();
    List<String> outcomes = new ArrayList<>();
    awaitAuditOf(id, "GAVE_UP").forEach(row -> outcomes.add(row.path("outcome").asText()));
    assertThat(outcomes).containsExactly("FAILED", "FAILED", "GAVE_UP");
    assertThat(receivers.at("/down")).hasSize(3);
  }

  @Test
  void shouldRefuseAtSendTimeAHostThatNowResolvesInsideTheNetwork() {
    // given a webhook host that resolves to a public address when the task is created
    String host = "hooks.rebind.test";
    FakeDns.ANSWERS.put(host, "93.184.216.34");
    ObjectNode body = task("Post the release notes");
    body.putArray("publish")
        .add(
            RunningTaskpilot.JSON
                .createObjectNode()
                .put("type", "webhook")
                .put("url", "http://" + host + "/results"));
    String id = taskpilot.create(body.toString()).path("id").asText();

    // when it resolves to a private address by the time the result is sent (DNS rebinding)
    FakeDns.ANSWERS.put(host, "10.0.0.7");
    JsonNode failed = taskpilot.awaitStatus(id, "FAILED", Duration.ofSeconds(60));

    // then nothing was sent, once, and the ledger says why
    assertThat(failed.path("error").path("code").asText()).isEqualTo("PUBLISH_FAILED");
    JsonNode row = publications(id).get(0);
    assertThat(row.path("status").asText()).isEqualTo("FAILED");
    assertThat(row.path("history")).hasSize(1);
    assertThat(row.path("history").get(0).path("error").asText()).containsIgnoringCase("refused");
  }

  @Test
  void shouldKeepAChatWebhooksUrlOutOfTheWorkflow() throws Exception {
    // given a Slack-style channel whose URL path is its credential
    String path = "/chat/services/T1/B1/path-is-the-secret";
    ObjectNode body = task("Say hello in the team chat");
    ObjectNode chat =
        RunningTaskpilot.JSON
            .createObjectNode()
            .put("type", "webhook")
            .put("url", receivers.url(path));
    chat.putArray("events").add("SUCCEEDED");
    body.putArray("notify").add(chat);

    // when
    String id = taskpilot.create(body.toString()).path("id").asText();
    taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));
    awaitAuditOf(id, "SENT");

    // then the chat got the message, and neither the stored request nor the audit holds the path
    assertThat(receivers.at(path)).hasSize(1);
    assertThat(
            RunningTaskpilot.JSON
                .readTree(receivers.at(path).getFirst().body())
                .path("text")
                .asText())
        .contains("Say hello in the team chat");
    var tasks = taskpilot.runtime().context().getBean(dev.taskpilot.store.TaskRepository.class);
    assertThat(tasks.findById(id).orElseThrow().request()).doesNotContain("path-is-the-secret");
    assertThat(notifications(id).toString()).doesNotContain("path-is-the-secret");
  }

  private static JsonNode awaitAuditOf(String id, String outcome) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode rows = notifications(id);
      for (JsonNode row : rows) {
        if (row.path("outcome").asText().equals(outcome)) {
          return rows;
        }
      }
      pause();
    }
    throw new AssertionError("no " + outcome + " in the audit of " + id);
  }

  private static Receivers.Received awaitOne(String path, String titleWord) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (Receivers.Received received : receivers.at(path)) {
        if (received.header("Actions") != null) {
          return received;
        }
      }
      pause();
    }
    throw new AssertionError("no " + titleWord + " notification at " + path);
  }

  private static Map<String, String> actions(String header) {
    assertThat(header).isNotNull();
    Map<String, String> urls = new java.util.HashMap<>();
    Matcher matcher = ACTION_URL.matcher(header);
    while (matcher.find()) {
      urls.put(matcher.group(1), matcher.group(2).strip());
    }
    assertThat(urls).containsOnlyKeys("Approve", "Reject");
    return urls;
  }

  private static String path(String url) {
    return URI.create(url).getRawPath();
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
