package dev.taskpilot.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.taskpilot.workflows.retention.RetentionWorkflowImpl;
import dev.taskpilot.workflows.schedule.ScheduleWorkflowImpl;
import dev.taskpilot.workflows.task.TaskWorkflowImpl;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stored history replays on today's workflow code, and every {@code Workflow.getVersion}
 * change id in that code is exercised by at least one of them, so no version branch goes
 * unreplayed. Histories are recorded by {@code TaskHistoryRecorderTest}, {@code
 * ScheduleWorkflowReplayTest} and {@code RetentionWorkflowTest} into {@code
 * target/recorded-histories/}; a new one is committed by copying it under a new name (never over an
 * old one).
 */
@Timeout(60)
class StoredHistoriesTest {
  private static final Path MAIN_SOURCES = Path.of("src", "main", "java");
  private static final Pattern GET_VERSION = Pattern.compile("getVersion\\(\\s*([^,)]*)");
  private static final Pattern LITERAL = Pattern.compile("\"([^\"]+)\"");

  static List<Path> storedHistories() throws IOException, URISyntaxException {
    Path directory = Path.of(StoredHistoriesTest.class.getResource("/histories").toURI());
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("storedHistories")
  void shouldReplayStoredHistoryOnTodaysWorkflowCode(Path file) throws IOException {
    // given
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(file));
    String name = file.getFileName().toString();
    Class<?> implementation =
        name.startsWith("schedule-")
            ? ScheduleWorkflowImpl.class
            : name.startsWith("retention-") ? RetentionWorkflowImpl.class : TaskWorkflowImpl.class;

    // when / then
    assertThatCode(() -> WorkflowReplayer.replayWorkflowExecution(history, implementation))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldHaveAStoredHistoryForEveryChangeIdInTheWorkflowCode() throws Exception {
    // given
    Set<String> used = changeIdsInWorkflowCode();
    Set<String> stored = new TreeSet<>();
    for (Path file : storedHistories()) {
      stored.addAll(changeIds(WorkflowExecutionHistory.fromJson(Files.readString(file))));
    }

    // then
    assertThat(used).as("change ids in the workflow code").isNotEmpty();
    assertThat(stored).as("change ids in stored histories").containsAll(used);
  }

  /** The change ids of every {@code getVersion} call; each must be a string literal. */
  private static Set<String> changeIdsInWorkflowCode() throws IOException {
    Set<String> ids = new TreeSet<>();
    try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher call = GET_VERSION.matcher(Files.readString(file));
        while (call.find()) {
          Matcher literal = LITERAL.matcher(call.group(1).strip());
          assertThat(literal.matches())
              .as("the change id of getVersion in %s is a string literal: %s", file, call.group(1))
              .isTrue();
          ids.add(literal.group(1));
        }
      }
    }
    return ids;
  }

  /** The change ids of the version markers in a history. */
  static Set<String> changeIds(WorkflowExecutionHistory history) {
    Set<String> ids = new TreeSet<>();
    for (HistoryEvent event : history.getEvents()) {
      if (event.getEventType() != EventType.EVENT_TYPE_MARKER_RECORDED) {
        continue;
      }
      MarkerRecordedEventAttributes marker = event.getMarkerRecordedEventAttributes();
      if (marker.getMarkerName().equals("Version") && marker.containsDetails("changeId")) {
        ids.add(
            DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                marker.getDetailsOrThrow("changeId").getPayloads(0), String.class, String.class));
      }
    }
    return ids;
  }
}
