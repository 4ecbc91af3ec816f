package dev.taskpilot.llm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.taskpilot.llm.testing.Plans.Plan;
import dev.taskpilot.llm.testing.Plans.RoomTools;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FakeAnthropicServerTest {

  private final FakeAnthropicServer server = new FakeAnthropicServer();

  @AfterEach
  void closeServer() {
    server.close();
  }

  private AnthropicChatModel model(boolean jsonSchema) {
    AnthropicChatModel.AnthropicChatModelBuilder builder =
        AnthropicChatModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("test-key")
            .modelName("claude-test")
            .maxRetries(0)
            .timeout(Duration.ofSeconds(5));
    if (jsonSchema) {
      builder.supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }
    return builder.build();
  }

  @Test
  void shouldAnswerConformingPlanWhenRequestCarriesOutputFormatSchema() {
    // when
    Plan plan = Plans.planner(model(true)).plan("Prepare the quarterly report");

    // then
    assertThat(Instant.parse(plan.start())).isAfter(Instant.now());
    assertThat(plan.priority()).isEqualTo(3);
    RecordedRequest request = server.lastRequest();
    assertThat(request.path()).isEqualTo("/v1/messages");
    assertThat(request.header("x-api-key")).isEqualTo("test-key");
    assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
    JsonNode format = request.body().path("output_config").path("format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("schema").path("properties").has("start")).isTrue();
    assertThat(request.body().has("tools")).isFalse();
  }

  @Test
  void shouldAnswerFromFormatInstructionsWhenModelLacksJsonSchemaCapability() {
    // given
    server.fix("priority", 9);

    // when
    Plan plan = Plans.planner(model(false)).plan("Plan the team offsite");

    // then
    assertThat(plan.priority()).isEqualTo(9);
    assertThat(Instant.parse(plan.start())).isAfter(Instant.now());
    assertThat(server.lastRequest().messages().get(0).path("content").get(0).path("text").asText())
        .contains(JsonInstructions.MARKER);
  }

  @Test
  void shouldExecuteToolWhenToolUseIsEnqueued() {
    // given
    RoomTools tools = new RoomTools();
    server.enqueue(Behaviour.toolCall("bookRoom", "{\"room\":\"Red\",\"hours\":1}"));

    // when
    String answer = Plans.assistant(model(false), tools).chat("Book the red room");

    // then
    assertThat(tools.bookings).containsExactly("Red/1");
    assertThat(answer).isEqualTo("Done: Room Red booked for 1h");
    JsonNode last = server.lastRequest().messages().path(2).path("content").get(0);
    assertThat(last.path("type").asText()).isEqualTo("tool_result");
    assertThat(last.path("tool_use_id").asText()).startsWith("toolu_fake_");
  }

  @Test
  void shouldReportUsageTokensWhenAnsweringPlainText() {
    // given
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello world")).build();

    // when
    ChatResponse response = model(false).chat(request);

    // then
    assertThat(response.aiMessage().text()).isEqualTo("OK: hello world");
    assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(2);
    assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(Behaviour.rateLimited(), RateLimitException.class, RetriableException.class),
        Arguments.of(
            Behaviour.status(529, "Overloaded"),
            InternalServerException.class,
            RetriableException.class),
        Arguments.of(
            Behaviour.unauthorized(), AuthenticationException.class, NonRetriableException.class),
        Arguments.of(
            Behaviour.badRequest("max_tokens too large"),
            InvalidRequestException.class,
            NonRetriableException.class));
  }

  @ParameterizedTest
  @MethodSource("statuses")
  void shouldRaiseMappedExceptionWhenServerAnswersErrorStatus(
      Behaviour.Status status, Class<?> expected, Class<?> family) {
    // given
    server.enqueue(status);

    // when / then
    assertThatThrownBy(() -> model(false).chat("hello"))
        .isExactlyInstanceOf(expected)
        .isInstanceOf(family)
        .hasMessageContaining(status.message());
  }
}
