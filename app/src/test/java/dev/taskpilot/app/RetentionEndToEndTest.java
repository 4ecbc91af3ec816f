package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.workflows.retention.RetentionSettings;
import dev.taskpilot.workflows.retention.RetentionSweep;
import dev.taskpilot.workflows.retention.RetentionWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleSpec;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retention through the dev role: the retention workflow runs once dev is up (a durable workflow,
 * as the embedded engine has no Schedules), a task's secrets are gone once it has ended and told
 * its channels (which used them), and a sweep deletes a finished task that ended long ago with all
 * its rows while recent and unfinished ones stay. Tasks are aged by moving their timestamps back.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RetentionEndToEndTest {
  private static final String TOKEN = "tk_retention_test_token";
  private static final String SECRET = "a-signing-secret-of-32-characters";

  private static Receivers receivers;
  private static Map<String, String> database;
  private static RunningTaskpilot taskpilot;
  private static WorkflowClient client;

  @BeforeAll
  static void start() throws Exception {
    receivers = new Receivers();
    database = TestDatabase.freshDatasourceProperties();
    taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-retention-"),
            database,
            Map.of("taskpilot.network.allowed-hosts", List.of("127.0.0.1/32")));
    client = taskpilot.runtime().context().getBean(WorkflowClient.class);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
    receivers.close();
  }

  private static RetentionWorkflow retention() {
    return client.newWorkflowStub(RetentionWorkflow.class, RetentionWorkflow.WORKFLOW_ID);
  }

  /** Polls until the condition holds, failing after 30 s. */
  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(50);
    }
  }

  private static long count(String query, String id) {
    try (Connection connection = connect();
        PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, id);
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Moves a task's creation and last change 40 days back. */
  private static void age(String id) throws SQLException {
    try (Connection connection = connect();
        PreparedStatement statement =
            connection.prepareStatement(
                "UPDATE tasks SET created_at = created_at - INTERVAL '40 days',"
                    + " updated_at = updated_at - INTERVAL '40 days' WHERE id = ?")) {
      statement.setString(1, id);
      assertThat(statement.executeUpdate()).isOne();
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        database.get("datasources.default.url"),
        database.get("datasources.default.username"),
        database.get("datasources.default.password"));
  }

  private static ObjectNode task(String prompt) {
    return RunningTaskpilot.JSON.createObjectNode().put("prompt", prompt);
  }

  @Test
  void shouldRunTheRetentionWorkflowWithTheConfiguredSettingsOnceDevIsUp() throws Exception {
    // when
    await(
        "the retention workflow runs",
        () -> EngineWorkflows.knows(client, RetentionWorkflow.WORKFLOW_ID));

    // then: the defaults of application.yml
    assertThat(retention().state().settings())
        .isEqualTo(
            new RetentionSettings(
                Duration.ofHours(1), Duration.ofDays(30), Duration.ofDays(1), 500));
    // and the embedded engine has no Temporal Schedules, which is why it is a workflow
    ScheduleClient schedules = ScheduleClient.newInstance(client.getWorkflowServiceStubs());
    Schedule schedule =
        Schedule.newBuilder()
            .setAction(
                ScheduleActionStartWorkflow.newBuilder()
                    .setWorkflowType(RetentionWorkflow.class)
                    .setOptions(
                        WorkflowOptions.newBuilder()
                            .setWorkflowId("retention-by-schedule")
                            .setTaskQueue(RetentionWorkflow.TASK_QUEUE)
                            .build())
                    .build())
            .setSpec(ScheduleSpec.newBuilder().build())
            .build();
    assertThatThrownBy(
            () ->
                schedules.createSchedule(
                    "retention-probe", schedule, ScheduleOptions.newBuilder().build()))
        .hasRootCauseInstanceOf(StatusRuntimeException.class)
        .rootCause()
        .satisfies(
            cause ->
                assertThat(((StatusRuntimeException) cause).getStatus().getCode())
                    .isEqualTo(Status.Code.UNIMPLEMENTED));
  }

  @Test
  void shouldPurgeATasksSecretsOnceItHasEndedAndToldItsChannels() throws Exception {
    // given: a signed webhook target and an authenticated ntfy channel
    ObjectNode body = task("Write the release notes");
    body.putArray("publish")
        .add(
            RunningTaskpilot.JSON
                .createObjectNode()
                .put("type", "webhook")
                .put("url", receivers.url("/hooks/notes"))
                .put("secret", SECRET));
    body.putArray("notify")
        .add(
            RunningTaskpilot.JSON
                .createObjectNode()
                .put("type", "ntfy")
                .put("topic", "releases")
                .put("server", receivers.url(""))
                .put("token", TOKEN));
    String id = taskpilot.create(body.toString()).path("id").asText();
    assertThat(count("SELECT count(*) FROM task_secrets WHERE task_id = ?", id)).isEqualTo(2);

    // when
    taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));
    await(
        "the secrets are purged",
        () -> count("SELECT count(*) FROM task_secrets WHERE task_id = ?", id) == 0);

    // then: both used their secret before it went
    Receivers.Received hook = receivers.at("/hooks/notes").getFirst();
    assertThat(hook.header("X-Taskpilot-Signature"))
        .isEqualTo(Receivers.signature(SECRET, hook.body()));
    List<Receivers.Received> told = receivers.at("/releases");
    assertThat(told).isNotEmpty();
    assertThat(told.getLast().header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(told.getLast().body()).contains("Task succeeded");
    // and the task itself stays
    assertThat(taskpilot.get("/api/v1/tasks/" + id).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldDeleteAFinishedTaskThatEndedLongAgoWithItsRowsWhenTheSweepIsTriggered()
      throws Exception {
    // given: two finished tasks and one waiting for approval
    ObjectNode notified = task("Tidy the changelog");
    notified
        .putArray("notify")
        .add(
            RunningTaskpilot.JSON
                .createObjectNode()
                .put("type", "ntfy")
                .put("topic", "old")
                .put("server", receivers.url("")));
    String old = taskpilot.create(notified.toString()).path("id").asText();
    String recent = taskpilot.create(task("Tidy the README").toString()).path("id").asText();
    ObjectNode gated = task("Tidy the docs");
    gated.putObject("approval").put("beforeRun", true);
    String waiting = taskpilot.create(gated.toString()).path("id").asText();
    taskpilot.awaitStatus(old, "SUCCEEDED", Duration.ofSeconds(60));
    taskpilot.awaitStatus(recent, "SUCCEEDED", Duration.ofSeconds(60));
    taskpilot.awaitStatus(waiting, "AWAITING_APPROVAL", Duration.ofSeconds(60));
    await(
        "the old task's notification is audited",
        () -> count("SELECT count(*) FROM notifications WHERE task_id = ?", old) > 0);
    assertThat(count("SELECT count(*) FROM task_output WHERE task_id = ?", old)).isPositive();
    // when: the first and the waiting one are 40 days old, and the sweep is triggered
    age(old);
    age(waiting);
    await(
        "the retention workflow runs",
        () -> EngineWorkflows.knows(client, RetentionWorkflow.WORKFLOW_ID));
    RetentionSweep sweep = retention().sweepNow();

    // then: only the old finished task is gone, with every row of it
    assertThat(sweep.complete()).isTrue();
    assertThat(sweep.tasks()).isOne();
    assertThat(sweep.outputLines()).isPositive();
    HttpResponse<String> gone = taskpilot.get("/api/v1/tasks/" + old);
    assertThat(gone.statusCode()).isEqualTo(404);
    for (String table : List.of("task_output", "notifications", "publications", "llm_calls")) {
      assertThat(count("SELECT count(*) FROM " + table + " WHERE task_id = ?", old))
          .as(table)
          .isZero();
    }
    JsonNode stays = RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + recent));
    assertThat(stays.path("status").asText()).isEqualTo("SUCCEEDED");
    JsonNode waits = RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + waiting));
    assertThat(waits.path("status").asText()).isEqualTo("AWAITING_APPROVAL");
    assertThat(count("SELECT count(*) FROM task_output WHERE task_id = ?", recent)).isPositive();
  }

  @Test
  void shouldPurgeAScheduleSecretsWhenTheScheduleIsDeleted() {
    // given
    HttpResponse<String> created =
        taskpilot.post(
            "/api/v1/schedules",
            "{\"name\": \"yearly\", \"cron\": \"0 0 1 1 *\", \"timeZone\": \"UTC\", \"task\":"
                + " {\"prompt\": \"tick\", \"publish\": [{\"type\": \"webhook\", \"url\": \""
                + receivers.url("/hooks/yearly")
                + "\", \"secret\": \""
                + SECRET
                + "\"}]}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = RunningTaskpilot.json(created).path("id").asText();
    assertThat(count("SELECT count(*) FROM schedule_secrets WHERE schedule_id = ?", id)).isOne();

    // when
    HttpResponse<String> deleted =
        taskpilot.send(TestHttp.request(taskpilot.uri("/api/v1/schedules/" + id)).DELETE().build());

    // then
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(count("SELECT count(*) FROM schedule_secrets WHERE schedule_id = ?", id)).isZero();
    assertThat(count("SELECT count(*) FROM schedules WHERE id = ?", id))
        .as("the deleted schedule's row stays until the sweep")
        .isOne();
  }
}
