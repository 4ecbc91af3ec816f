package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.app.logging.ProductionLogback;
import dev.taskpilot.workflows.logging.CorrelationIdsInterceptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * With JSON logs (the production configuration's encoder for {@code TASKPILOT_LOG_FORMAT=json}),
 * the request id of the HTTP call that created a task follows it through its workflow into the
 * lines of its activities, beside the task's, workflow's and run's ids, the activity type and the
 * attempt.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CorrelatedJsonLogsTest {
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private LoggerContext productionJson;
  private OutputStreamAppender<ILoggingEvent> capture;
  private Logger interceptorLog;
  private Level interceptorLevel;
  private RunningTaskpilot taskpilot;

  @BeforeEach
  void captureJsonLogs() {
    productionJson = ProductionLogback.configure("json");
    LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
    capture = new OutputStreamAppender<>();
    capture.setContext(global);
    capture.setName("json-capture");
    capture.setEncoder(ProductionLogback.stdout(productionJson).getEncoder());
    OutputStream sink =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (captured) {
              captured.write(b);
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (captured) {
              captured.write(b, off, len);
            }
          }
        };
    capture.setOutputStream(sink);
    capture.start();
    global.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(capture);
    // The interceptor's start and end lines of each activity execution.
    interceptorLog = global.getLogger(CorrelationIdsInterceptor.class);
    interceptorLevel = interceptorLog.getLevel();
    interceptorLog.setLevel(Level.DEBUG);
  }

  @AfterEach
  void stop() {
    try {
      if (taskpilot != null) {
        taskpilot.close();
      }
    } finally {
      interceptorLog.setLevel(interceptorLevel);
      LoggerContext global = (LoggerContext) LoggerFactory.getILoggerFactory();
      global.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
      capture.stop();
      productionJson.stop();
    }
  }

  @Test
  void shouldCarryTheRequestIdIntoTheTasksActivityLinesWhenLogsAreJson() throws IOException {
    // given
    taskpilot = RunningTaskpilot.dev(1);
    String requestId = "logs-" + UUID.randomUUID();

    // when: a task is created by a request with a known id, and runs to its end
    HttpResponse<String> response =
        taskpilot.post(
            "/api/v1/tasks",
            """
            {"prompt": "Write a haiku about correlation ids",
             "title": "Line one\\n{\\"level\\":\\"ERROR\\",\\"message\\":\\"forged\\"}"}
            """,
            "X-Request-Id",
            requestId);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(response.headers().firstValue("X-Request-Id")).contains(requestId);
    String id = RunningTaskpilot.json(response).path("id").asText();
    taskpilot.awaitStatus(id, "SUCCEEDED", Duration.ofSeconds(60));

    // then: every record is one line of valid JSON, none forged by the title
    List<JsonNode> lines = new ArrayList<>();
    String text;
    synchronized (captured) {
      text = captured.toString(StandardCharsets.UTF_8);
    }
    for (String line : text.lines().toList()) {
      lines.add(RunningTaskpilot.JSON.readTree(line));
    }
    assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.isObject()).isTrue());
    assertThat(lines)
        .noneSatisfy(line -> assertThat(line.path("message").asText()).isEqualTo("forged"));

    // and: the workflow's own lines (Workflow.getLogger, the SDK's WorkflowId) carry the request id
    assertThat(
            lines.stream()
                .filter(line -> id.equals(line.path("WorkflowId").asText()))
                .filter(line -> line.path("activityType").isMissingNode())
                .toList())
        .as("workflow lines of task " + id)
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line.path("requestId").asText()).isEqualTo(requestId));

    // and: the planning and agent activities' lines carry the ids of the task and the request
    for (String activityType : List.of("PlanTask", "RunAgent")) {
      List<JsonNode> ofActivity =
          lines.stream()
              .filter(line -> id.equals(line.path("taskId").asText()))
              .filter(line -> activityType.equals(line.path("activityType").asText()))
              .toList();
      assertThat(ofActivity)
          .as(activityType + " lines of task " + id)
          .hasSizeGreaterThanOrEqualTo(2)
          .allSatisfy(
              line -> {
                assertThat(line.path("workflowId").asText()).isEqualTo(id);
                assertThat(line.path("runId").asText()).isNotBlank();
                assertThat(line.path("attempt").asText()).isEqualTo("1");
                assertThat(line.path("requestId").asText()).isEqualTo(requestId);
              });
    }
  }
}
