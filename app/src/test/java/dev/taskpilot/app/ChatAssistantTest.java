package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.llm.testing.Behaviour;
import dev.taskpilot.llm.testing.FakeOpenAiServer;
import dev.taskpilot.store.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chat assistant's tool calls act on real tasks through the same task service as the API. */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChatAssistantTest {
  private static FakeOpenAiServer model;
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    model = new FakeOpenAiServer();
    taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-chat-"),
            TestDatabase.freshDatasourceProperties(),
            Map.of(
                "taskpilot.llm.provider", "openai",
                "taskpilot.llm.base-url", model.baseUrl(),
                "taskpilot.llm.api-key", "sk-chat",
                "taskpilot.llm.model", "gpt-test"));
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
    model.close();
  }

  private static JsonNode chat(String message) {
    HttpResponse<String> response =
        taskpilot.post("/api/v1/chat", "{\"message\": \"" + message + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RunningTaskpilot.json(response);
  }

  @Test
  void shouldCreateReprioritiseAndCancelTasksThroughToolCalls() {
    // given: the model asks for a task to be created
    model.enqueue(
        Behaviour.toolCall(
            "createTask", "{\"prompt\": \"Draft the blog post about Temporal\", \"priority\": 3}"));

    // when
    JsonNode created = chat("Please draft the blog post about Temporal");

    // then
    JsonNode action = created.path("actions").get(0);
    assertThat(action.path("tool").asText()).isEqualTo("createTask");
    assertThat(action.path("outcome").asText()).isEqualTo("done");
    String id = action.path("taskId").asText();
    assertThat(created.path("reply").asText()).contains(id);
    JsonNode task = taskpilot.awaitStatus(id, "SCHEDULED", Duration.ofSeconds(60));
    assertThat(task.path("priority").asInt()).isEqualTo(3);
    assertThat(task.path("labels").get(0).asText()).isEqualTo("chat");

    // when: an invalid priority is refused, not executed
    model.enqueue(
        Behaviour.toolCall("reprioritiseTask", "{\"taskId\": \"" + id + "\", \"priority\": 42}"));
    JsonNode refused = chat("make it priority 42");
    // then
    assertThat(refused.path("actions").get(0).path("outcome").asText()).isEqualTo("refused");
    assertThat(refused.path("actions").get(0).path("detail").asText())
        .contains("VALIDATION_FAILED");
    assertThat(RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id)).path("priority").asInt())
        .isEqualTo(3);

    // when: the model cancels it
    model.enqueue(Behaviour.toolCall("cancelTask", "{\"taskId\": \"" + id + "\"}"));
    JsonNode cancelled = chat("cancel it");
    // then
    assertThat(cancelled.path("actions").get(0).path("outcome").asText()).isEqualTo("done");
    assertThat(RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id)).path("status").asText())
        .isEqualTo("CANCELLED");

    // and the conversation is kept, and can be forgotten
    JsonNode history = RunningTaskpilot.json(taskpilot.get("/api/v1/chat/history"));
    assertThat(history)
        .extracting(entry -> entry.path("role").asText())
        .contains("user", "assistant", "tool");
    HttpResponse<String> cleared =
        taskpilot.send(TestHttp.request(taskpilot.uri("/api/v1/chat/history")).DELETE().build());
    assertThat(cleared.statusCode()).isEqualTo(204);
    assertThat(RunningTaskpilot.json(taskpilot.get("/api/v1/chat/history"))).isEmpty();
  }

  @Test
  void shouldRefuseAToolCallWhoseArgumentsAreInvalid() {
    // given: a create with an empty prompt, which the API would refuse too
    model.enqueue(Behaviour.toolCall("createTask", "{\"prompt\": \"\"}"));
    // when
    JsonNode reply = chat("create an empty task");
    // then
    assertThat(reply.path("actions").get(0).path("outcome").asText()).isEqualTo("refused");
    assertThat(RunningTaskpilot.json(taskpilot.get("/api/v1/tasks?label=chat")).path("items"))
        .allSatisfy(item -> assertThat(item.path("prompt").asText()).isNotEmpty());
  }

  @Test
  void shouldRefuseEmptyAndOverlongMessages() {
    assertThat(taskpilot.post("/api/v1/chat", "{\"message\": \"\"}").statusCode()).isEqualTo(400);
    String longMessage = "x".repeat(10_001);
    HttpResponse<String> response =
        taskpilot.post("/api/v1/chat", "{\"message\": \"" + longMessage + "\"}");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RunningTaskpilot.json(response).path("code").asText())
        .isEqualTo("VALIDATION_FAILED");
  }
}
