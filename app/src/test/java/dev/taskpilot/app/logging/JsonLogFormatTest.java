package dev.taskpilot.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.status.Status;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code TASKPILOT_LOG_FORMAT} selects the production configuration's encoder. */
class JsonLogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORGED =
      "Fix it\n{\"level\":\"INFO\",\"message\":\"all approved\"}\r\u001b[2J\u2028";

  private static String render(LoggerContext context, Throwable throwable, Object... arguments) {
    Encoder<ILoggingEvent> encoder = ProductionLogback.stdout(context).getEncoder();
    LoggingEvent event =
        new LoggingEvent(
            JsonLogFormatTest.class.getName(),
            context.getLogger("taskpilot.notifications"),
            Level.INFO,
            "task {} ({}): {}",
            throwable,
            arguments);
    event.setMDCPropertyMap(
        Map.of(
            "requestId", "req-1",
            "taskId", "task-1",
            "workflowId", "task-task-1",
            "runId", "run-1",
            "activityType", "RunAgent",
            "attempt", "2"));
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void shouldWriteOneJsonObjectALineWithTheMdcIdsWhenFormatIsJson() throws Exception {
    // given
    LoggerContext context = ProductionLogback.configure("json");
    try {
      IllegalStateException failure = new IllegalStateException("workspace '" + FORGED + "'");

      // when
      String text = render(context, failure, "task-1", FORGED, "it failed");

      // then: one line, valid JSON, user text whole inside the message, ids as fields
      List<String> lines = text.lines().toList();
      assertThat(lines).hasSize(1);
      assertThat(text).doesNotContain("\u001b").doesNotContain("\r");
      JsonNode line = JSON.readTree(lines.getFirst());
      assertThat(line.path("message").asText())
          .isEqualTo("task task-1 (" + FORGED + "): it failed");
      assertThat(line.path("level").asText()).isEqualTo("INFO");
      assertThat(line.path("logger_name").asText()).isEqualTo("taskpilot.notifications");
      assertThat(line.path("@timestamp").asText()).endsWith("Z");
      assertThat(line.path("stack_trace").asText())
          .startsWith("java.lang.IllegalStateException: workspace '" + FORGED);
      assertThat(line.path("requestId").asText()).isEqualTo("req-1");
      assertThat(line.path("taskId").asText()).isEqualTo("task-1");
      assertThat(line.path("workflowId").asText()).isEqualTo("task-task-1");
      assertThat(line.path("runId").asText()).isEqualTo("run-1");
      assertThat(line.path("activityType").asText()).isEqualTo("RunAgent");
      assertThat(line.path("attempt").asText()).isEqualTo("2");
    } finally {
      context.stop();
    }
  }

  @Test
  void shouldWritePlainTextWhenFormatIsText() {
    // given
    LoggerContext context = ProductionLogback.configure("text");
    try {
      // when
      String text = render(context, null, "task-1", "Fix it", "it failed");

      // then
      assertThat(text.lines()).hasSize(1);
      assertThat(text).doesNotStartWith("{").contains(" - task task-1 (Fix it): it failed");
    } finally {
      context.stop();
    }
  }

  @Test
  void shouldReportAnUnknownFormatAndWriteText() {
    // given
    LoggerContext context = new LoggerContext();
    LogFormatEncoder encoder = new LogFormatEncoder();
    encoder.setContext(context);
    encoder.setFormat("xml");
    encoder.setPattern("%msg%n");

    // when
    encoder.start();

    // then
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anySatisfy(
            status -> {
              assertThat(status.getLevel()).isEqualTo(Status.ERROR);
              assertThat(status.getMessage()).contains("'xml', not text or json");
            });
    LoggingEvent event =
        new LoggingEvent(
            getClass().getName(), context.getLogger("x"), Level.INFO, "plain", null, null);
    assertThat(new String(encoder.encode(event), StandardCharsets.UTF_8))
        .isEqualTo("plain" + System.lineSeparator());
  }
}
