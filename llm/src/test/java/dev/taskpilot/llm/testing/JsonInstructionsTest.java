package dev.taskpilot.llm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.structured.Description;
import dev.langchain4j.service.AiServices;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonInstructionsTest {

  enum Mode {
    CAR,
    TRAIN
  }

  record Leg(String from, String to, @Description("Duration in minutes") long minutes) {}

  record Trip(
      Mode mode,
      List<String> stops,
      Leg firstLeg,
      LocalDate day,
      LocalDateTime departure,
      double budget,
      Boolean booked) {}

  interface TripPlanner {
    Trip plan(String request);
  }

  @Test
  void shouldNotFindSchemaWhenTextHasNoInstructions() {
    // when / then
    assertThat(JsonInstructions.schemaFrom("Just chat with me")).isEmpty();
    assertThat(JsonInstructions.schemaFrom(null)).isEmpty();
  }

  @Test
  void shouldReadPropertiesWhenTemplateHasDescriptions() {
    // given
    String text =
        "Plan\n"
            + JsonInstructions.MARKER
            + "{\n\"priority\": (Priority (1-5); type: integer),\n\"ok\": (type: boolean)\n}";

    // when
    ObjectNode schema = JsonInstructions.schemaFrom(text).orElseThrow();

    // then
    JsonNode properties = schema.path("properties");
    assertThat(properties.path("priority").path("type").asText()).isEqualTo("integer");
    assertThat(properties.path("priority").path("description").asText())
        .isEqualTo("Priority (1-5)");
    assertThat(properties.path("ok").path("type").asText()).isEqualTo("boolean");
  }

  @Test
  void shouldExpectObjectsWhenTemplateRefersToAlreadyDescribedClass() {
    // given
    String text = JsonInstructions.MARKER + "{\n\"children\": (type: array of com.example.Tree)\n}";

    // when
    ObjectNode schema = JsonInstructions.schemaFrom(text).orElseThrow();

    // then
    assertThat(schema.at("/properties/children/items/type").asText()).isEqualTo("object");
  }

  @Test
  void shouldParseNestedEnumListAndDateFieldsWhenLangChain4jWritesTheInstructions() {
    // given
    try (FakeOpenAiServer server = new FakeOpenAiServer()) {
      OpenAiChatModel model =
          OpenAiChatModel.builder()
              .baseUrl(server.baseUrl())
              .apiKey("test-key")
              .modelName("gpt-test")
              .maxRetries(0)
              .build();

      // when
      Trip trip = AiServices.create(TripPlanner.class, model).plan("A trip to Lyon");

      // then
      assertThat(trip.mode()).isEqualTo(Mode.CAR);
      assertThat(trip.stops()).containsExactly("fake answer");
      assertThat(trip.firstLeg().minutes()).isEqualTo(3);
      assertThat(trip.firstLeg().to()).isEqualTo("fake to");
      assertThat(trip.day()).isAfter(LocalDate.now().minusDays(1));
      assertThat(trip.departure()).isNotNull();
      assertThat(trip.budget()).isEqualTo(1.5);
      assertThat(trip.booked()).isFalse();
    }
  }
}
