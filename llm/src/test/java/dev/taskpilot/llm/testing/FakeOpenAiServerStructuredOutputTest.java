package dev.taskpilot.llm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.output.OutputParsingException;
import dev.taskpilot.llm.testing.Plans.Plan;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiServerStructuredOutputTest {

  private final FakeOpenAiServer server = new FakeOpenAiServer();

  @AfterEach
  void closeServer() {
    server.close();
  }

  private OpenAiChatModel model(boolean jsonSchema) {
    OpenAiChatModel.OpenAiChatModelBuilder builder =
        OpenAiChatModel.builder()
            .baseUrl(server.baseUrl())
            .apiKey("test-key")
            .modelName("gpt-test")
            .maxRetries(0)
            .timeout(Duration.ofSeconds(5));
    if (jsonSchema) {
      builder.supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).strictJsonSchema(true);
    }
    return builder.build();
  }

  @Test
  void shouldAnswerConformingPlanWhenRequestCarriesJsonSchema() {
    // given
    Plans.Planner planner = Plans.planner(model(true));

    // when
    Plan plan = planner.plan("Prepare the quarterly report");

    // then
    assertThat(plan.priority()).isEqualTo(3);
    assertThat(Instant.parse(plan.start())).isAfter(Instant.now());
    assertThat(plan.needsApproval()).isFalse();
    assertThat(plan.reasoning()).contains("reasoning");
    RecordedRequest request = server.lastRequest();
    assertThat(request.header("Authorization")).isEqualTo("Bearer test-key");
    assertThat(request.model()).isEqualTo("gpt-test");
    JsonNode format = request.body().path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
    assertThat(format.path("json_schema").path("schema").path("required"))
        .extracting(JsonNode::asText)
        .containsExactly("priority", "start", "needsApproval", "reasoning");
  }

  @Test
  void shouldReturnFixedValuesWhenTestForcesAnInvalidPlan() {
    // given
    server.fix("priority", 9);
    server.fix("start", "2030-01-01T09:00:00Z");

    // when
    Plan plan = Plans.planner(model(true)).plan("Prepare the quarterly report");

    // then
    assertThat(plan.priority()).isEqualTo(9);
    assertThat(plan.start()).isEqualTo("2030-01-01T09:00:00Z");
  }

  @Test
  void shouldAnswerFromFormatInstructionsWhenModelLacksJsonSchemaCapability() {
    // when
    Plan plan = Plans.planner(model(false)).plan("Plan the team offsite");

    // then
    assertThat(Instant.parse(plan.start())).isAfter(Instant.now());
    assertThat(plan.priority()).isEqualTo(3);
    JsonNode body = server.lastRequest().body();
    assertThat(body.has("response_format")).isFalse();
    assertThat(body.path("messages").get(0).path("content").asText())
        .startsWith("Plan the team offsite\n" + JsonInstructions.MARKER + "{\n")
        .contains("\"start\": (When to start, an ISO-8601 UTC instant; type: string),");
  }

  @Test
  void shouldFailParsingWhenModelAnswersMalformedJson() {
    // given
    server.enqueue(Behaviour.malformed());

    // when / then
    assertThatThrownBy(() -> Plans.planner(model(true)).plan("Anything"))
        .isInstanceOf(OutputParsingException.class);
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void shouldReportUsageTokensWhenAnsweringPlainText() {
    // given
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("hello world")).build();

    // when
    ChatResponse response = model(false).chat(request);

    // then
    assertThat(response.aiMessage().text()).isEqualTo("OK: hello world");
    assertThat(response.modelName()).isEqualTo("gpt-test");
    assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(2);
    assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(3);
    assertThat(response.tokenUsage().totalTokenCount()).isEqualTo(5);
  }
}
