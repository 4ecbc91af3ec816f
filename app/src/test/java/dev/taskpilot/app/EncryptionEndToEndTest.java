package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.taskpilot.api.auth.ApiTokens;
import dev.taskpilot.api.auth.Role;
import dev.taskpilot.app.codec.PayloadEncryption;
import dev.taskpilot.llm.testing.FakeOpenAiServer;
import dev.taskpilot.store.crypto.EncryptionKeys;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.workflows.task.TaskWorkflowImpl;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Issue #13, item 7, through the dev role: distinctive secrets (a webhook's signing secret, an ntfy
 * token) and a prompt marker appear in no row of {@code task_secrets} and in no payload of the
 * task's workflow history as Temporal stores it, while the task still succeeds, signs its webhook
 * with the real secret and authenticates to ntfy with the real token; the codec endpoint shows the
 * Web UI what the history holds.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EncryptionEndToEndTest {
  private static final String WEBHOOK_SECRET = "whsec-9c1d27e4-distinctive";
  private static final String NTFY_TOKEN = "tk_5f3a81c0distinctive";
  private static final String PROMPT_MARKER = "prompt-marker-0e6b2d9a";
  private static final String URL_MARKER = "hook-path-7d40c3";
  private static final String UI_ORIGIN = "http://localhost:8088";
  private static final String LLM_KEY = "sk-llm-key-4b8e1f-distinctive";
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
  private static FakeOpenAiServer model;
  private static final List<String> MARKERS =
      List.of(WEBHOOK_SECRET, NTFY_TOKEN, PROMPT_MARKER, URL_MARKER);

  private static Receivers receivers;
  private static RunningTaskpilot taskpilot;
  private static Map<String, String> database;
  private static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    LOG.start();
    root.addAppender(LOG);
    model = new FakeOpenAiServer();
    receivers = new Receivers();
    dataDir = Files.createTempDirectory("taskpilot-test-");
    database = TestDatabase.freshDatasourceProperties();
    taskpilot =
        RunningTaskpilot.dev(
            1,
            dataDir,
            database,
            Map.of(
                "taskpilot.network.allowed-hosts",
                List.of("127.0.0.1/32"),
                "taskpilot.codec.enabled",
                true,
                "taskpilot.agents.example.env",
                List.of("EXAMPLE_AGENT_DELAY"),
                // The task is planned and summarised by an LLM whose key must stay hidden too.
                "taskpilot.llm.provider",
                "openai",
                "taskpilot.llm.base-url",
                model.baseUrl(),
                "taskpilot.llm.api-key",
                LLM_KEY,
                "taskpilot.llm.model",
                "gpt-test"));
  }

  @BeforeEach
  void planToStartAtOnce() {
    // The model plans each task to start a second from now (its default is later).
    model.fix("start", Instant.now().plusSeconds(1).toString());
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
    model.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
    receivers.close();
  }

  @Test
  void shouldKeepSecretsAndPromptUnreadableAtRestAndInHistoryWhenATaskPublishesAndNotifies()
      throws Exception {
    // given: a task that waits for approval, signs a webhook and notifies an ntfy topic by token
    ObjectNode body =
        RunningTaskpilot.JSON.createObjectNode().put("prompt", "Write about " + PROMPT_MARKER);
    body.putObject("approval").put("beforeRun", true);
    body.putArray("publish")
        .addObject()
        .put("type", "webhook")
        .put("url", receivers.url("/hooks/" + URL_MARKER))
        .put("secret", WEBHOOK_SECRET);
    body.putArray("notify")
        .addObject()
        .put("type", "ntfy")
        .put("topic", "encrypted")
        .put("server", receivers.url(""))
        .put("token", NTFY_TOKEN);
    String id = taskpilot.create(body.toString()).path("id").asText();
    taskpilot.awaitStatus(id, "AWAITING_APPROVAL", Duration.ofSeconds(30));

    // when: its secrets are stored; then it is approved and runs to the end
    List<String[]> stored = secretRows(id);
    HttpResponse<String> approved = taskpilot.post("/api/v1/tasks/" + id + "/approve", "{}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));

    // then: both secrets were stored, as ciphertext only (a row's name is its target's key, the
    // URL or topic the task's stored request holds too)
    assertThat(stored).hasSize(2);
    List<String> secrets = List.of(WEBHOOK_SECRET, NTFY_TOKEN, PROMPT_MARKER);
    long plainRows =
        stored.stream()
            .filter(row -> secrets.stream().anyMatch(m -> row[0].contains(m) || row[1].contains(m)))
            .count();
    assertThat(plainRows).as("task_secrets rows holding a marker in plain text").isZero();
    assertThat(stored).allSatisfy(row -> assertThat(row[1]).startsWith("v1:"));

    // they are purged as the workflow's last step, after its final notifications were sent
    awaitNoSecrets(id);

    // the webhook was signed with the real secret, ntfy got the real token
    List<Receivers.Received> hooks = receivers.at("/hooks/" + URL_MARKER);
    assertThat(hooks).hasSize(1);
    assertThat(hooks.getFirst().header("X-Taskpilot-Signature"))
        .isEqualTo(Receivers.signature(WEBHOOK_SECRET, hooks.getFirst().body()));
    List<Receivers.Received> notes = receivers.at("/encrypted");
    assertThat(notes).hasSizeGreaterThanOrEqualTo(2);
    assertThat(notes)
        .allSatisfy(
            note -> assertThat(note.header("Authorization")).isEqualTo("Bearer " + NTFY_TOKEN));

    // the history as Temporal keeps it: no marker anywhere in it, every payload encrypted but the
    // SDK's own bookkeeping in markers (change ids, versions, local activity ids, types, times)
    WorkflowClient client = taskpilot.runtime().context().getBean(WorkflowClient.class);
    WorkflowExecutionHistory history = client.fetchHistory(id);
    List<Payload> payloads = new ArrayList<>();
    Map<String, Integer> plainByPlace = new TreeMap<>();
    for (HistoryEvent event : history.getEvents()) {
      if (event.hasMarkerRecordedEventAttributes()) {
        event
            .getMarkerRecordedEventAttributes()
            .getDetailsMap()
            .forEach(
                (key, details) ->
                    details
                        .getPayloadsList()
                        .forEach(
                            payload -> count(payload, "marker " + key, payloads, plainByPlace)));
      } else {
        List<Payload> found = new ArrayList<>();
        collectPayloads(event, found);
        found.forEach(
            payload -> count(payload, event.getEventType().name(), payloads, plainByPlace));
      }
    }
    long encrypted = payloads.stream().filter(PayloadEncryption::encrypted).count();
    long plainPayloads = payloads.stream().filter(EncryptionEndToEndTest::holdsMarker).count();
    String raw = history.getHistory().toByteString().toString(StandardCharsets.ISO_8859_1);
    assertThat(payloads).hasSizeGreaterThan(20);
    assertThat(plainPayloads).as("history payloads holding a marker in plain text").isZero();
    assertThat(MARKERS).noneMatch(raw::contains);
    assertThat(encrypted).isGreaterThanOrEqualTo(20);
    assertThat(plainByPlace.keySet())
        .as("where payloads are not encrypted")
        .isSubsetOf(
            "marker changeId",
            "marker version",
            "marker activityId",
            "marker type",
            "marker time",
            "marker meta",
            // Search attributes: indexed by the server, so plain by design (status, priority,
            // agent, workspace, owner, labels); the check above finds no marker in them either.
            "EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES");

    // the LLM got the real key; no log line holds any secret or the prompt
    assertThat(model.requests()).isNotEmpty();
    List<String> secretsAndPrompt = List.of(LLM_KEY, WEBHOOK_SECRET, NTFY_TOKEN, PROMPT_MARKER);
    long leakingLines =
        LOG.list.stream()
            .map(EncryptionEndToEndTest::logText)
            .filter(line -> secretsAndPrompt.stream().anyMatch(line::contains))
            .count();
    assertThat(leakingLines).as("log lines holding a secret or the prompt").isZero();

    // another owner's tokens see nothing of it
    ApiTokens tokens = taskpilot.runtime().context().getBean(ApiTokens.class);
    int otherAnswers = 0;
    int leakingAnswers = 0;
    for (Role role : Role.values()) {
      if (role == Role.ADMIN) {
        continue;
      }
      String other = tokens.create("someone-else", role, null).secret();
      for (String path :
          List.of(
              "/api/v1/tasks",
              "/api/v1/tasks/" + id,
              "/api/v1/tasks/" + id + "/output",
              "/api/v1/tasks/" + id + "/llm-calls",
              "/api/v1/tasks/" + id + "/publications",
              "/api/v1/tasks/" + id + "/notifications",
              "/api/v1/schedules",
              "/api/v1/chat/history",
              "/api/v1/context")) {
        HttpResponse<String> answer =
            taskpilot.send(
                TestHttp.withToken(TestHttp.request(taskpilot.uri(path)).GET().build(), other));
        otherAnswers++;
        // (A 404 may name the id the caller gave; a success naming it would show the task.)
        if (secretsAndPrompt.stream().anyMatch(answer.body()::contains)
            || (answer.statusCode() == 200 && answer.body().contains(id))) {
          leakingAnswers++;
        }
      }
    }
    assertThat(leakingAnswers).as("answers to another owner holding the task or a secret").isZero();
    System.out.printf(
        "secrets: %d log lines, %d holding a secret or the prompt; %d answers to another owner,"
            + " %d holding the task or a secret%n",
        LOG.list.size(), leakingLines, otherAnswers, leakingAnswers);

    // decoded with the key they hold the prompt again
    PayloadEncryption codec = taskpilot.runtime().context().getBean(PayloadEncryption.class);
    long decodedWithPrompt =
        codec.decode(payloads).stream()
            .filter(p -> p.getData().toStringUtf8().contains(PROMPT_MARKER))
            .count();
    assertThat(decodedWithPrompt).as("decoded payloads holding the prompt").isPositive();
    System.out.printf(
        "encryption: %d task_secrets rows, %d in plain text; %d history payloads, %d encrypted, %d"
            + " holding a marker in plain text; not encrypted: %s; %d decoded hold the prompt%n",
        stored.size(),
        plainRows,
        payloads.size(),
        encrypted,
        plainPayloads,
        plainByPlace,
        decodedWithPrompt);

    // the encrypted history replays through the roles' converter, not without the key
    Worker worker =
        WorkerFactory.newInstance(client).newWorker("replay-" + id + "-" + Instant.now());
    worker.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(history, worker);
    try (TestWorkflowEnvironment plain = TestWorkflowEnvironment.newInstance()) {
      assertThatThrownBy(
              () ->
                  WorkflowReplayer.replayWorkflowExecution(history, plain, TaskWorkflowImpl.class))
          .as("a replay without the key")
          .hasStackTraceContaining("binary/encrypted");
    }
  }

  @Test
  void shouldKeepAScheduleSecretUnreadableWhenTheScheduleIsStored() throws Exception {
    // given
    ObjectNode body =
        RunningTaskpilot.JSON
            .createObjectNode()
            .put("name", "encrypted schedule")
            .put("cron", "0 9 * * *")
            .put("timeZone", "UTC")
            .put("paused", true);
    body.putObject("task")
        .put("prompt", "Digest " + PROMPT_MARKER)
        .putArray("publish")
        .addObject()
        .put("type", "webhook")
        .put("url", receivers.url("/hooks/schedule"))
        .put("secret", WEBHOOK_SECRET);

    // when
    HttpResponse<String> created = taskpilot.post("/api/v1/schedules", body.toString());

    // then
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = RunningTaskpilot.json(created).path("id").asText();
    List<String> values = new ArrayList<>();
    try (Connection connection = connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT value FROM schedule_secrets WHERE schedule_id = ?")) {
      statement.setString(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getString(1));
        }
      }
    }
    assertThat(values)
        .singleElement()
        .satisfies(value -> assertThat(value).startsWith("v1:").doesNotContain(WEBHOOK_SECRET));
  }

  @Test
  void shouldDecodeAndEncodeForTheWebUiWhenTheCodecEndpointIsCalled() throws Exception {
    // given: a task's workflow input as Temporal has it
    String id =
        taskpilot.create("{\"prompt\": \"Codec " + PROMPT_MARKER + "\"}").path("id").asText();
    taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));
    WorkflowClient client = taskpilot.runtime().context().getBean(WorkflowClient.class);
    Payload input =
        client
            .fetchHistory(id)
            .getEvents()
            .getFirst()
            .getWorkflowExecutionStartedEventAttributes()
            .getInput()
            .getPayloads(0);
    assertThat(PayloadEncryption.encrypted(input)).isTrue();

    // when: the Web UI asks, after its preflight
    HttpResponse<String> preflight =
        taskpilot.send(
            TestHttp.request(taskpilot.uri("/codec/decode"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", UI_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-namespace")
                .build());
    HttpResponse<String> decoded = codec("/codec/decode", json(input), UI_ORIGIN);
    Payload plain =
        Payload.newBuilder().setData(ByteString.copyFromUtf8("\"typed in the UI\"")).build();
    HttpResponse<String> encoded = codec("/codec/encode", json(plain), UI_ORIGIN);

    // then
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI_ORIGIN);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("POST");
    assertThat(decoded.statusCode()).as(decoded.body()).isEqualTo(200);
    assertThat(decoded.headers().firstValue("Access-Control-Allow-Origin")).hasValue(UI_ORIGIN);
    Payload shown = payloads(decoded.body()).getFirst();
    assertThat(shown.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("json/plain");
    assertThat(shown.getData().toStringUtf8()).contains(PROMPT_MARKER);
    assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(200);
    Payload sealed = payloads(encoded.body()).getFirst();
    assertThat(PayloadEncryption.encrypted(sealed)).isTrue();
    PayloadEncryption codec = taskpilot.runtime().context().getBean(PayloadEncryption.class);
    assertThat(codec.decode(List.of(sealed))).containsExactly(plain);
    assertThat(payloads(codec("/codec/decode", "{\"payloads\": []}", UI_ORIGIN).body())).isEmpty();
  }

  @Test
  void shouldRefuseOtherOriginsAndBadBodiesWhenTheCodecEndpointIsCalled() {
    // when
    HttpResponse<String> otherOrigin =
        taskpilot.send(
            TestHttp.request(taskpilot.uri("/codec/decode"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:9999")
                .header("Access-Control-Request-Method", "POST")
                .build());
    HttpResponse<String> notJson = codec("/codec/decode", "{\"payloads\": 5}", UI_ORIGIN);
    String foreign =
        "{\"payloads\": [{\"metadata\": {\"encoding\": \""
            + base64("binary/encrypted")
            + "\", \"encryption-key-id\": \""
            + base64("0123456789abcdef")
            + "\"}, \"data\": \""
            + base64("not sealed by this key")
            + "\"}]}";
    HttpResponse<String> unknownKey = codec("/codec/decode", foreign, UI_ORIGIN);

    // then
    assertThat(otherOrigin.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(RunningTaskpilot.json(notJson).path("code").asText()).isEqualTo("VALIDATION_FAILED");
    assertThat(unknownKey.statusCode()).isEqualTo(400);
    assertThat(unknownKey.body()).contains("cannot be decrypted");
  }

  @Test
  void shouldKeepItsOwnKeyInTheDataDirectoryWhenDevStarts() throws Exception {
    // given
    Path file = dataDir.resolve(EncryptionKeyFile.NAME);

    // then: made on the first start, for its user only, and the one the process uses
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    byte[] key = EncryptionKeys.parse(Files.readString(file), "the key file");
    assertThat(taskpilot.runtime().context().getBean(EncryptionKeys.class).currentKeyId())
        .isEqualTo(EncryptionKeys.keyId(key));
  }

  private static HttpResponse<String> codec(String path, String body, String origin) {
    return taskpilot.send(
        TestHttp.request(taskpilot.uri(path))
            .header("Content-Type", "application/json")
            .header("Origin", origin)
            .header("X-Namespace", "default")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private static String json(Payload payload) throws Exception {
    return JsonFormat.printer().print(Payloads.newBuilder().addPayloads(payload));
  }

  private static List<Payload> payloads(String json) throws Exception {
    Payloads.Builder builder = Payloads.newBuilder();
    JsonFormat.parser().merge(json, builder);
    return builder.getPayloadsList();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean holdsMarker(Payload payload) {
    String bytes = payload.toByteString().toString(StandardCharsets.ISO_8859_1);
    return MARKERS.stream().anyMatch(bytes::contains);
  }

  /** Every Payload anywhere in a message, found through protobuf reflection. */
  private static void collectPayloads(Message message, List<Payload> found) {
    if (message instanceof Payload payload) {
      found.add(payload);
      return;
    }
    message
        .getAllFields()
        .forEach(
            (field, value) -> {
              if (value instanceof Message nested) {
                collectPayloads(nested, found);
              } else if (value instanceof List<?> list) {
                for (Object element : list) {
                  if (element instanceof Message nested) {
                    collectPayloads(nested, found);
                  }
                }
              }
            });
  }

  private static void count(
      Payload payload, String place, List<Payload> payloads, Map<String, Integer> plainByPlace) {
    payloads.add(payload);
    if (!PayloadEncryption.encrypted(payload)) {
      plainByPlace.merge(place, 1, Integer::sum);
    }
  }

  private static List<String[]> secretRows(String taskId) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT name, value FROM task_secrets WHERE task_id = ? ORDER BY name")) {
      statement.setString(1, taskId);
      try (ResultSet rows = statement.executeQuery()) {
        List<String[]> result = new ArrayList<>();
        while (rows.next()) {
          result.add(new String[] {rows.getString(1), rows.getString(2)});
        }
        return result;
      }
    }
  }

  private static void awaitNoSecrets(String taskId) throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!secretRows(taskId).isEmpty()) {
      assertThat(Instant.now()).as("secrets of %s purged", taskId).isBefore(deadline);
      Thread.sleep(50);
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        database.get("datasources.default.url"),
        database.get("datasources.default.username"),
        database.get("datasources.default.password"));
  }

  /** A log event as its lines would read: the message, and every exception's message. */
  private static String logText(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage());
    for (IThrowableProxy cause = event.getThrowableProxy();
        cause != null;
        cause = cause.getCause()) {
      text.append('\n').append(cause.getMessage());
    }
    return text.toString();
  }
}
