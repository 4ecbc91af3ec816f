package dev.taskpilot.activities.agent.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.format.AgentEvent.Result;
import org.junit.jupiter.api.Test;

class ResultSignalsQuestionTest {

  @Test
  void shouldReturnQuestionWhenSuccessfulResultStartsWithPrefix() {
    // given
    Result result = Transcripts.tally("question.jsonl", "claude-stream-json").result();

    // when
    var question = ResultSignals.question(result);

    // then
    assertThat(question).contains("Which branch should I use?\nI see both main and develop.");
  }

  @Test
  void shouldIgnoreLeadingWhitespaceWhenPrefixIsIndented() {
    // when
    var question = ResultSignals.question(result(false, "\n  QUESTION:  Tabs or spaces? "), null);

    // then
    assertThat(question).contains("Tabs or spaces?");
  }

  @Test
  void shouldReturnNothingWhenResultIsErrorOrPrefixDiffers() {
    // when / then
    assertThat(ResultSignals.question(result(true, "QUESTION: why?"))).isEmpty();
    assertThat(ResultSignals.question(result(false, "question: why?"))).isEmpty();
    assertThat(ResultSignals.question(result(false, "Done. QUESTION: why?"))).isEmpty();
    assertThat(ResultSignals.question(result(false, "QUESTION:   "))).isEmpty();
    assertThat(ResultSignals.question(result(false, null))).isEmpty();
    assertThat(ResultSignals.question((Result) null)).isEmpty();
  }

  @Test
  void shouldUseCustomPrefixWhenGiven() {
    // when
    var question = ResultSignals.question(result(false, "ASK: Merge now?"), "ASK:");

    // then
    assertThat(question).contains("Merge now?");
  }

  private static Result result(boolean isError, String text) {
    return new Result(isError, text, null, null, null, null, null, null, null);
  }
}
