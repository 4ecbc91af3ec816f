package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.slots.SlotRequest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The agent runs only while the task holds a fleet-wide agent slot. */
class TaskWorkflowSlotTest extends TaskWorkflowTestSupport {

  @Test
  void shouldShowScheduledWithReasonWhileWaitingForASlotThenRunAndRelease() throws Exception {
    // given
    Hold slot = new Hold();
    AtomicInteger calls = new AtomicInteger();
    // The first call says "not yet"; the second is held until the test lets it grant the slot.
    doAnswer(call -> calls.incrementAndGet() == 1 ? false : slot.then(held -> true).answer(call))
        .when(env.slots)
        .acquire(any());
    TaskWorkflow workflow = env.start(task().priority(7).build());

    // when: the wait is not short, so the task says why it waits
    env.awaitStatus(TaskStatus.SCHEDULED);
    while (workflow.state().statusReason() == null) {
      env.sleep(java.time.Duration.ofSeconds(1));
    }
    TaskState waiting = workflow.state();
    verify(env.agent, never()).run(any());
    slot.release();
    TaskState end = env.result(TestTasks.TASK_ID);

    // then
    assertThat(waiting.statusReason()).contains("waiting for a free slot");
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    ArgumentCaptor<SlotRequest> claim = ArgumentCaptor.forClass(SlotRequest.class);
    verify(env.slots, atLeast(2)).acquire(claim.capture());
    assertThat(claim.getValue().priority()).isEqualTo(7);
    assertThat(claim.getValue().agent()).isEqualTo("claude");
    verify(env.slots).release(eq(TestTasks.TASK_ID));
  }

  @Test
  void shouldCancelWhileWaitingForASlot() throws Exception {
    // given
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().build());
    env.awaitSlotWait(workflow);
    // when
    TaskState cancelled = workflow.cancel("no longer needed");
    // then
    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    verify(env.agent, never()).run(any());
  }
}
