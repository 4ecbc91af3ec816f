package dev.taskpilot.workflows.task;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Stored histories replay on the current workflow code, and an incompatible change is caught. */
class TaskWorkflowReplayTest {

  @ParameterizedTest
  @EnumSource(TaskHistories.class)
  void shouldReplayStoredHistoryWhenWorkflowCodeIsCompatible(TaskHistories history) {
    // when / then
    assertThatCode(
            () ->
                WorkflowReplayer.replayWorkflowExecutionFromResource(
                    history.resource(), TaskWorkflowImpl.class))
        .doesNotThrowAnyException();
  }

  @Test
  void shouldFailReplayWhenActivitiesRunInADifferentOrder() {
    // given
    String history = TaskHistories.APPROVED_RUN_NOW_WITH_PRIORITY.resource();

    // when / then: the replayer reports the mismatch in its message, not as a cause
    assertThatThrownBy(
            () ->
                WorkflowReplayer.replayWorkflowExecutionFromResource(
                    history, ReorderedTaskWorkflowImpl.class))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining(NonDeterministicException.class.getName())
        .hasMessageContaining("event 5 of type 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED'");
  }
}
