package dev.taskpilot.llm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.taskpilot.llm.testing.Plans.RoomTools;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeOpenAiServerToolCallTest {

  private final FakeOpenAiServer server = new FakeOpenAiServer();
  private final OpenAiChatModel model =
      OpenAiChatModel.builder()
          .baseUrl(server.baseUrl())
          .apiKey("test-key")
          .modelName("gpt-test")
          .maxRetries(0)
          .timeout(Duration.ofSeconds(5))
          .build();

  @AfterEach
  void closeServer() {
    server.close();
  }

  @Test
  void shouldExecuteToolWithScriptedArgumentsWhenToolCallIsEnqueued() {
    // given
    RoomTools tools = new RoomTools();
    server.enqueue(Behaviour.toolCall("bookRoom", "{\"room\":\"Blue\",\"hours\":2}"));

    // when
    String answer = Plans.assistant(model, tools).chat("Book the blue room for two hours");

    // then
    assertThat(tools.bookings).containsExactly("Blue/2");
    assertThat(answer).isEqualTo("Done: Room Blue booked for 2h");
    List<RecordedRequest> requests = server.requests();
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).body().path("tools").get(0).path("function").path("name").asText())
        .isEqualTo("bookRoom");
    JsonNode messages = requests.get(1).messages();
    JsonNode toolMessage = messages.get(messages.size() - 1);
    assertThat(toolMessage.path("role").asText()).isEqualTo("tool");
    assertThat(toolMessage.path("tool_call_id").asText()).startsWith("call_");
    assertThat(messages.get(messages.size() - 2).path("tool_calls")).hasSize(1);
  }

  @Test
  void shouldGenerateToolArgumentsFromParameterSchemaWhenNoneAreScripted() {
    // given
    RoomTools tools = new RoomTools();
    server.enqueue(Behaviour.toolCall("bookRoom"));

    // when
    String answer = Plans.assistant(model, tools).chat("Book any room");

    // then
    assertThat(tools.bookings).containsExactly("fake room/3");
    assertThat(answer).startsWith("Done: Room fake room booked");
  }

  @Test
  void shouldFailLoudlyWhenScriptedToolIsNotOffered() {
    // given
    server.enqueue(Behaviour.toolCall("deleteEverything", "{}"));

    // when / then
    assertThatThrownBy(() -> Plans.assistant(model, new RoomTools()).chat("Hi"))
        .isInstanceOf(InternalServerException.class)
        .hasMessageContaining("scripted tool call 'deleteEverything'")
        .hasMessageContaining("[bookRoom]");
  }
}
