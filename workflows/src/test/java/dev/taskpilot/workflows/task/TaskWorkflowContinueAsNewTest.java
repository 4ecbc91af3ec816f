package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.taskpilot.workflows.TaskStatus;
import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task that waits long and receives many commands keeps its history bounded: it continues as new
 * with its state, and goes on working.
 */
class TaskWorkflowContinueAsNewTest extends TaskWorkflowTestSupport {
  private static final int CYCLES = 150;
  private static final Path RECORDED = Path.of("target", "recorded-histories");

  @Test
  void shouldContinueAsNewAndStillRunWhenPausedAndResumedManyTimesWhileWaitingForItsStart()
      throws IOException {
    // given
    Instant slot = env.now().plus(Duration.ofDays(7));
    TaskWorkflow workflow = env.start(task().notBefore(slot).approveBeforeRun(true).build());
    env.awaitStatus(TaskStatus.SCHEDULED);
    String firstRun = runId();
    workflow.setPriority(9);

    // when
    for (int i = 0; i < CYCLES; i++) {
      assertThat(workflow.pause().status()).isEqualTo(TaskStatus.PAUSED);
      assertThat(workflow.resume().status()).isEqualTo(TaskStatus.SCHEDULED);
    }
    workflow.pause();
    TaskState paused = workflow.state();

    // then: a later run, with a bounded history, that still knows what the first one did
    assertThat(runId()).isNotEqualTo(firstRun);
    assertThat(history().getEvents()).hasSizeLessThan(TaskContext.HISTORY_LIMIT + 50);
    assertThat(paused.status()).isEqualTo(TaskStatus.PAUSED);
    assertThat(paused.priority()).isEqualTo(9);
    assertThat(paused.notBefore()).isEqualTo(slot);
    assertThat(paused.plan()).isNotNull();
    assertThat(paused.version()).isGreaterThan(2L * CYCLES);

    // when: it resumes and runs now, passing its gate
    workflow.resume();
    workflow.runNow();
    workflow.approve("go", null);
    TaskState end = env.result(TestTasks.TASK_ID);

    // then: planned once, run once
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(end.priority()).isEqualTo(9);
    verify(env.planning, times(1)).plan(any());
    verify(env.agent, times(1)).run(any());
    // Versions count on across runs (writes may reach the projection out of order; it keeps the
    // highest), so no write of a later run is ignored as stale.
    assertThat(env.recorded()).extracting(TaskState::version).doesNotHaveDuplicates();
    assertThat(env.recorded()).extracting(TaskState::version).allMatch(v -> v <= end.version());
    // The first run and the last, for StoredHistoriesTest (copy under a new name to keep them).
    Files.createDirectories(RECORDED);
    Files.writeString(
        RECORDED.resolve("task-continued-as-new-run-1.json"),
        env.temporal.getWorkflowClient().fetchHistory(TestTasks.TASK_ID, firstRun).toJson(false));
    Files.writeString(
        RECORDED.resolve("task-continued-as-new-last-run.json"),
        env.temporal.getWorkflowClient().fetchHistory(TestTasks.TASK_ID).toJson(false));
  }

  @Test
  void shouldContinueAsNewAndKeepItsPlaceWhenCommandedManyTimesWhileWaitingForASlot() {
    // given: past its gate, waiting for a slot
    env.slotsStayTaken();
    env.start(task().approveBeforeRun(true).build());
    TaskWorkflow workflow = latestRun();
    env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
    workflow.approve("go", null);
    env.awaitSlotWait(workflow);
    String firstRun = runId();

    // when
    for (int i = 0; i < CYCLES; i++) {
      workflow.setPriority(i % 2 == 0 ? 3 : 4);
    }
    workflow.runNow();
    workflow.setPriority(6);

    // then: continued, still in the queue, at the front after run-now
    assertThat(runId()).isNotEqualTo(firstRun);
    assertThat(history().getEvents()).hasSizeLessThan(TaskContext.HISTORY_LIMIT + 50);
    TaskState waiting = workflow.state();
    assertThat(waiting.status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(waiting.statusReason()).contains("waiting for a free slot");
    assertThat(env.claims().getLast().priority()).isEqualTo(SlotWait.FRONT);

    // when
    env.grantSlot(TestTasks.TASK_ID);
    TaskState end = env.result(TestTasks.TASK_ID);

    // then: the gate is not asked again
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    List<TaskStatus> statuses = env.recordedStatuses();
    assertThat(statuses.stream().filter(s -> s == TaskStatus.AWAITING_APPROVAL)).hasSize(1);
    verify(env.agent, times(1)).run(any());
  }

  /** A stub of the workflow id, as the API uses, which follows it into later runs. */
  private TaskWorkflow latestRun() {
    return env.temporal.getWorkflowClient().newWorkflowStub(TaskWorkflow.class, TestTasks.TASK_ID);
  }

  private String runId() {
    return env.untyped(TestTasks.TASK_ID).describe().getExecution().getRunId();
  }

  private WorkflowExecutionHistory history() {
    WorkflowExecutionHistory history =
        env.temporal.getWorkflowClient().fetchHistory(TestTasks.TASK_ID, runId());
    assertThat(history.getEvents().getFirst().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
    return history;
  }
}
