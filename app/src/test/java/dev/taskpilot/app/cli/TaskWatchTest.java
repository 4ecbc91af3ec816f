package dev.taskpilot.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The watch's status line: status, elapsed time and cost; ANSI colours only when asked for. */
class TaskWatchTest {
  private static final String ENDED =
      """
      {"id": "t-1", "status": "SUCCEEDED", "createdAt": "2026-01-01T10:00:00Z",
       "updatedAt": "2026-01-01T10:01:30Z",
       "run": {"endedAt": "2026-01-01T10:01:05Z", "costUsd": 0.0125}}
      """;

  private static TaskWatch watch(boolean colour) {
    PrintWriter sink = new PrintWriter(new StringWriter());
    return new TaskWatch(
        new ApiClient(URI.create("http://127.0.0.1:1/"), null), sink, sink, colour);
  }

  private static JsonNode task(String json) throws Exception {
    return ApiClient.JSON.readTree(json);
  }

  @Test
  void shouldShowStatusElapsedAndCostWithoutEscapesWhenNotOnTerminal() throws Exception {
    // when
    String line = watch(false).statusLine(task(ENDED));

    // then: elapsed from creation to the end
    assertThat(line).isEqualTo("[SUCCEEDED] t-1 · 1m30s · $0.0125");
  }

  @Test
  void shouldColourStatusWhenOnTerminal() throws Exception {
    // when
    String line = watch(true).statusLine(task(ENDED));

    // then: green and bold, the rest as without colours
    assertThat(line)
        .startsWith("\u001B[")
        .contains("[SUCCEEDED]")
        .endsWith(" t-1 · 1m30s · $0.0125");
    assertThat(line).contains("32m");
  }

  @Test
  void shouldShowReasonAndUnknownCostWhenTaskFailedBeforeRun() throws Exception {
    // when
    String line =
        watch(false)
            .statusLine(
                task(
                    """
                    {"id": "t-2", "status": "REJECTED", "statusReason": "not now",
                     "createdAt": "2026-01-01T10:00:00Z", "updatedAt": "2026-01-01T10:00:07Z"}
                    """));

    // then
    assertThat(line).isEqualTo("[REJECTED] t-2 · 7s · $- (not now)");
  }

  @Test
  void shouldShowControlCharactersVisiblyWhenOutputHasEscapes() {
    // when
    String shown = TaskWatch.printable("red \u001B[31mtext\u001B]0;title\u0007\tend\r");

    // then
    assertThat(shown).isEqualTo("red ^[[31mtext^[]0;title^G\tend^M").doesNotContain("\u001B");
  }
}
