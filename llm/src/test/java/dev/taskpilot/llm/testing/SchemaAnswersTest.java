package dev.taskpilot.llm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaAnswersTest {

  private static JsonNode schema(String json) throws Exception {
    return SchemaAnswers.JSON.readTree(json.replace('\'', '"'));
  }

  @Test
  void shouldGenerateEveryPropertyWhenSchemaIsFlatObject() throws Exception {
    // given
    JsonNode schema =
        schema(
            "{'type':'object','properties':{'count':{'type':'integer'},'ratio':{'type':'number'},"
                + "'ok':{'type':'boolean'},'tags':{'type':'array','items':{'type':'string'}},"
                + "'mode':{'type':'string','enum':['FAST','SLOW']},'note':{'type':'string'}},"
                + "'required':['count','extra']}");

    // when
    JsonNode answer = new SchemaAnswers().generate(schema);

    // then
    assertThat(answer.path("count").asInt()).isEqualTo(3);
    assertThat(answer.path("ratio").asDouble()).isEqualTo(1.5);
    assertThat(answer.path("ok").asBoolean(true)).isFalse();
    assertThat(answer.path("tags")).hasSize(1);
    assertThat(answer.path("mode").asText()).isEqualTo("FAST");
    assertThat(answer.path("note").asText()).isEqualTo("fake note");
    assertThat(answer.has("extra")).isTrue();
  }

  @Test
  void shouldRespectBoundsWhenIntegerHasMinimumOrMaximum() throws Exception {
    // given
    JsonNode schema =
        schema(
            "{'type':'object','properties':{'low':{'type':'integer','minimum':7},"
                + "'high':{'type':'integer','maximum':2},'open':{'type':'integer',"
                + "'exclusiveMinimum':10}}}");

    // when
    JsonNode answer = new SchemaAnswers().generate(schema);

    // then
    assertThat(answer.path("low").asInt()).isEqualTo(7);
    assertThat(answer.path("high").asInt()).isEqualTo(2);
    assertThat(answer.path("open").asInt()).isEqualTo(11);
  }

  @Test
  void shouldProduceInstantInOneHourWhenPropertyLooksLikeStartTime() throws Exception {
    // given
    JsonNode schema =
        schema(
            "{'type':'object','properties':{'startsAt':{'type':'string'},"
                + "'due':{'type':['string','null'],'description':'An ISO-8601 instant'},"
                + "'when':{'type':'string','format':'date-time'}}}");

    // when
    JsonNode answer = new SchemaAnswers().generate(schema);

    // then
    Instant inOneHour = Instant.now().plus(1, ChronoUnit.HOURS);
    for (String field : new String[] {"startsAt", "due", "when"}) {
      assertThat(Instant.parse(answer.path(field).asText()))
          .isBetween(inOneHour.minusSeconds(60), inOneHour.plusSeconds(60));
    }
  }

  @Test
  void shouldFollowRefsAndTakeFirstAlternativeWhenSchemaUsesDefsAndAnyOf() throws Exception {
    // given
    JsonNode schema =
        schema(
            "{'$ref':'#/$defs/Tree','$defs':{'Tree':{'type':'object','properties':{"
                + "'name':{'type':'string'},'children':{'type':'array','items':{'$ref':'#/$defs/Tree'}},"
                + "'size':{'anyOf':[{'type':'null'},{'type':'integer'}]}}}}}");

    // when
    JsonNode answer = new SchemaAnswers().generate(schema);

    // then
    assertThat(answer.path("name").asText()).isEqualTo("fake name");
    assertThat(answer.path("size").asInt()).isEqualTo(3);
    assertThat(answer.path("children").get(0).path("name").asText()).isEqualTo("fake name");
    assertThat(answer.toString()).doesNotContain("null");
  }

  @Test
  void shouldUseFixedValueWhenPropertyIsFixed() throws Exception {
    // given
    JsonNode schema =
        schema(
            "{'type':'object','properties':{'priority':{'type':'integer'},'at':{'type':'object',"
                + "'properties':{'start':{'type':'string'}}}}}");

    // when
    Map<String, Object> fixes = new java.util.HashMap<>();
    fixes.put("priority", 9);
    fixes.put("start", null);
    JsonNode answer = new SchemaAnswers(fixes).generate(schema);

    // then
    assertThat(answer.path("priority").asInt()).isEqualTo(9);
    assertThat(answer.at("/at/start").isNull()).isTrue();
  }
}
