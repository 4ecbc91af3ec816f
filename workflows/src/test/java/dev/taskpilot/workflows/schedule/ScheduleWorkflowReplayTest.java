package dev.taskpilot.workflows.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same fire time never produces two start requests: not when every workflow task replays the
 * whole history, not when a recorded history is replayed, not across continue-as-new.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduleWorkflowReplayTest {
  static final String STORED_HISTORY = "histories/schedule-fires-pause-trigger-delete.json";
  private static final Path RECORDED = Path.of("target", "recorded-histories");
  private static final Instant START = Instant.parse("2026-01-05T08:15:00Z");

  /** Fires, a pause, a trigger, a resume and a delete: the scenario of the stored history. */
  static void play(ScheduleTestEnvironment env) {
    ScheduleWorkflow schedule = env.create("*/30 * * * *", "UTC", OverlapPolicy.ALLOW_ALL, false);
    env.sleep(Duration.ofMinutes(80));
    schedule.pause();
    env.sleep(Duration.ofMinutes(40));
    schedule.trigger();
    schedule.resume();
    env.sleep(Duration.ofMinutes(35));
    schedule.delete();
    env.result();
  }

  @Test
  void shouldStartEachFireOnceWhenEveryWorkflowTaskReplaysTheHistory() {
    // given: no workflow cache, so each workflow task replays from the first event
    try (ScheduleTestEnvironment env = ScheduleTestEnvironment.replayingEveryTask(START)) {
      // when
      play(env);

      // then: 08:30, 09:00, 09:30 before the pause; the trigger; 10:30 after resuming at 10:15
      assertThat(env.activities.startedTaskIds())
          .containsExactly(
              "sch-test-20260105T083000Z",
              "sch-test-20260105T090000Z",
              "sch-test-20260105T093000Z",
              "sch-test-manual-1",
              "sch-test-20260105T103000Z");
    }
  }

  @Test
  void shouldReplayRecordedHistoryWithoutNewCommands() throws IOException {
    // given
    WorkflowExecutionHistory history;
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(START)) {
      play(env);
      history = env.temporal.getWorkflowClient().fetchHistory(ScheduleIds.workflow("sch-test"));
    }
    Files.createDirectories(RECORDED);
    Files.writeString(
        RECORDED.resolve(Path.of(STORED_HISTORY).getFileName()), history.toJson(true));

    // when / then: replaying issues exactly the recorded commands, so the same task ids
    assertThatCode(
            () -> WorkflowReplayer.replayWorkflowExecution(history, ScheduleWorkflowImpl.class))
        .doesNotThrowAnyException();
    assertThat(startActivities(history)).hasSize(5);
  }

  @Test
  void shouldFailReplayWhenFireTimesWouldNameOtherTasks() {
    // when / then: a workflow that fires at other times cannot replay the stored history
    assertThatThrownBy(
            () ->
                WorkflowReplayer.replayWorkflowExecutionFromResource(
                    STORED_HISTORY, ShiftedScheduleWorkflowImpl.class))
        .hasMessageContaining(NonDeterministicException.class.getName());
  }

  @Test
  void shouldRecordBothRunsWhenContinuingAsNew() throws IOException {
    // given
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(START)) {
      ScheduleWorkflow schedule = env.create("* * * * *", "UTC", OverlapPolicy.ALLOW_ALL, false);
      String firstRun = WorkflowStub.fromTyped(schedule).getExecution().getRunId();

      // when: past the 100 fires of one run, then deleted in the second run
      env.sleep(Duration.ofMinutes(103).plusSeconds(30));
      env.stub().delete();
      env.result();

      // then
      WorkflowClient client = env.temporal.getWorkflowClient();
      WorkflowExecutionHistory first =
          client.fetchHistory(ScheduleIds.workflow("sch-test"), firstRun);
      WorkflowExecutionHistory second = client.fetchHistory(ScheduleIds.workflow("sch-test"));
      assertThat(first.getLastEvent().getEventType())
          .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
      assertThat(second.getLastEvent().getEventType())
          .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      Files.createDirectories(RECORDED);
      Files.writeString(
          RECORDED.resolve("schedule-continued-as-new-run-1.json"), first.toJson(false));
      Files.writeString(
          RECORDED.resolve("schedule-continued-as-new-run-2.json"), second.toJson(false));
    }
  }

  @Test
  void shouldNeitherLoseNorRepeatFiresWhenContinuingAsNew() {
    // given
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(START)) {
      env.create("* * * * *", "UTC", OverlapPolicy.ALLOW_ALL, false);

      // when: 150 fires, past the 100 fires of one run
      env.sleep(Duration.ofMinutes(150).plusSeconds(30));

      // then
      List<Instant> fires = env.activities.startedFireTimes();
      assertThat(fires).hasSize(150).doesNotHaveDuplicates().isSorted();
      assertThat(fires.getFirst()).isEqualTo(Instant.parse("2026-01-05T08:16:00Z"));
      assertThat(Duration.between(fires.getFirst(), fires.getLast()))
          .isEqualTo(Duration.ofMinutes(149));
      HistoryEvent first =
          env.temporal
              .getWorkflowClient()
              .fetchHistory(ScheduleIds.workflow("sch-test"))
              .getEvents()
              .getFirst();
      assertThat(first.getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId())
          .as("the current run continued an earlier one")
          .isNotEmpty();
    }
  }

  private static List<HistoryEvent> startActivities(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .filter(
            event ->
                event
                    .getActivityTaskScheduledEventAttributes()
                    .getActivityType()
                    .getName()
                    .equals("StartScheduledTask"))
        .toList();
  }
}
