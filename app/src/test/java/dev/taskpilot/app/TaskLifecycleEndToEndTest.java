package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.api.auth.ApiTokens;
import dev.taskpilot.api.auth.Role;
import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.task.TaskSearchAttributes;
import dev.taskpilot.workflows.task.TaskState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Boots the dev role in-process and takes a task with the example agent to SUCCEEDED. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskLifecycleEndToEndTest {
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() {
    taskpilot = RunningTaskpilot.dev(1);
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  @Test
  void shouldSucceedWithPublishedFileAndReadableOutputWhenExampleAgentRuns() throws Exception {
    // given
    String body =
        """
        {"prompt": "Write a haiku about durable workflows",
         "labels": ["e2e"],
         "publish": [{"type": "file", "path": "poems/haiku.md"}]}
        """;

    // when
    JsonNode created = taskpilot.create(body);
    String id = created.path("id").asText();
    JsonNode done = taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));

    // then
    assertThat(created.path("title").asText()).isEqualTo("Write a haiku about durable workflows");
    assertThat(done.path("plan").path("source").asText()).isEqualTo("fallback");
    assertThat(done.path("run").path("exitCode").asInt()).isZero();
    assertThat(done.path("run").path("outputLines").asLong()).isPositive();
    assertThat(done.path("result").path("summary").asText()).contains("RESULT.md");
    assertThat(done.path("result").path("publications")).hasSize(1);
    assertThat(done.path("error").isMissingNode() || done.path("error").isNull()).isTrue();

    Path published = taskpilot.dataDir().resolve("published/poems/haiku.md");
    assertThat(published).exists();
    assertThat(Files.readString(published)).contains(id).contains("RESULT.md");
    Path result = taskpilot.dataDir().resolve("workspaces/_tasks/" + id + "/RESULT.md");
    assertThat(Files.readString(result)).contains("Write a haiku about durable workflows");

    HttpResponse<String> output = taskpilot.get("/api/v1/tasks/" + id + "/output");
    assertThat(output.statusCode()).isEqualTo(200);
    assertThat(output.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    long lines = done.path("run").path("outputLines").asLong();
    assertThat(output.body().lines().count()).isEqualTo(lines);
    assertThat(output.headers().firstValue("X-Last-Line")).hasValue(Long.toString(lines));
    assertThat(output.headers().firstValue("X-More-Output")).hasValue("false");
    HttpResponse<String> tail =
        taskpilot.get("/api/v1/tasks/" + id + "/output?after=" + (lines - 1));
    assertThat(tail.body().lines().toList()).hasSize(1);
    assertThat(output.body()).endsWith(tail.body());

    JsonNode listed = RunningTaskpilot.json(taskpilot.get("/api/v1/tasks?label=e2e"));
    assertThat(listed.path("items")).extracting(item -> item.path("id").asText()).contains(id);
  }

  @Test
  void shouldCarryTheTasksSearchAttributesForTheWebUiWhenATaskSucceeds() throws Exception {
    // given: a task of its own owner
    ApiTokens.Issued carol =
        taskpilot.runtime().context().getBean(ApiTokens.class).create("carol", Role.OPERATOR, null);
    HttpResponse<String> created =
        taskpilot.post(
            "/api/v1/tasks",
            "{\"prompt\": \"Find me in the Web UI\", \"labels\": [\"web-ui\", \"e2e\"]}",
            "Authorization",
            "Bearer " + carol.secret());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = RunningTaskpilot.json(created).path("id").asText();

    // when: its workflow has ended, so every upsert is in
    WorkflowClient client = taskpilot.runtime().context().getBean(WorkflowClient.class);
    WorkflowStub workflow = client.newUntypedWorkflowStub(WorkflowIds.task(id));
    TaskState state = workflow.getResult(60, TimeUnit.SECONDS, TaskState.class);

    // then: dev's engine registered them, the workflow upserted them. (The SDK's test server
    // answers no visibility query, such as TaskpilotStatus = 'SUCCEEDED' AND TaskpilotOwner =
    // 'carol', so describe shows what the Web UI filters on.)
    assertThat(state.status().name()).isEqualTo("SUCCEEDED");
    SearchAttributes attributes = workflow.describe().getTypedSearchAttributes();
    assertThat(attributes.get(TaskSearchAttributes.STATUS)).isEqualTo("SUCCEEDED");
    assertThat(attributes.get(TaskSearchAttributes.OWNER)).isEqualTo("carol");
    assertThat(attributes.get(TaskSearchAttributes.PRIORITY)).isEqualTo((long) state.priority());
    assertThat(attributes.get(TaskSearchAttributes.AGENT)).isNotBlank();
    assertThat(attributes.get(TaskSearchAttributes.LABELS))
        .containsExactlyInAnyOrder("web-ui", "e2e");
  }

  @Test
  void shouldReportFailureWhenAgentExitsNonZero() {
    // given: the example agent fails on prompts that contain FAIL
    String body = "{\"prompt\": \"Please FAIL this one\"}";

    // when
    String id = taskpilot.create(body).path("id").asText();
    JsonNode failed = taskpilot.awaitStatus(id, "FAILED", Duration.ofSeconds(60));

    // then
    assertThat(failed.path("error").path("code").asText()).isEqualTo("AGENT_FAILED");
    assertThat(failed.path("run").path("endedAt").isTextual()).isTrue();
  }

  @Test
  void shouldAnswerHealthAndReadinessWhenEverythingIsUp() {
    // when
    HttpResponse<String> health = taskpilot.get("/health");
    HttpResponse<String> readiness = taskpilot.get("/health/readiness");

    // then
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
    assertThat(readiness.body()).contains("temporal");
    assertThat(taskpilot.get("/prometheus").statusCode()).isEqualTo(200);
  }
}
