package dev.taskpilot.workflows.task;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An incompatible change is caught by replay. Every stored history is replayed by {@code
 * StoredHistoriesTest}.
 */
@Timeout(60)
class TaskWorkflowReplayTest {

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
