package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.slots.SlotClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent runs only while the task holds a fleet-wide agent slot; the wait for one is a claim and
 * a signal, with no activity while it waits, and every waiting-task command applies during it.
 */
class TaskWorkflowSlotTest extends TaskWorkflowTestSupport {

  @Test
  void shouldShowScheduledWithReasonWhileWaitingThenRunWhenGrantedAndRelease() {
    // given
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().priority(7).build());
    env.awaitSlotWait(workflow);
    TaskState waiting = workflow.state();
    verify(env.agent, never()).run(any());

    // when
    env.grantSlot(TestTasks.TASK_ID);
    TaskState end = env.result(TestTasks.TASK_ID);

    // then: one claim, no polling, the slot given back after the run
    assertThat(waiting.status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(waiting.statusReason()).isEqualTo("waiting for a free slot of agent claude");
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(env.claims())
        .singleElement()
        .satisfies(
            claim ->
                assertThat(claim)
                    .isEqualTo(
                        new SlotClaim(TestTasks.TASK_ID, "claude", "docs-repo", 7, claim.claim())))
        .extracting(SlotClaim::claim)
        .isNotEqualTo(0);
    verify(env.slots, never()).acquire(any());
    verify(env.slots).release(eq(TestTasks.TASK_ID));
    assertThat(env.recordedStatuses())
        .containsSubsequence(TaskStatus.SCHEDULED, TaskStatus.RUNNING, TaskStatus.SUCCEEDED);
  }

  @Test
  void shouldRunAtOnceWithoutWaitingWhenTheClaimIsHeld() {
    // when
    TaskState end = env.run(task().build());
    // then: never SCHEDULED for a slot, and RUNNING written once
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(env.recorded())
        .noneMatch(state -> state.statusReason() != null && state.statusReason().contains("slot"));
    assertThat(env.recorded().stream().filter(s -> s.status() == TaskStatus.RUNNING).count())
        .isEqualTo(1);
  }

  @Test
  void shouldIgnoreTheGrantOfAnEarlierClaim() {
    // given
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().build());
    env.awaitSlotWait(workflow);

    int current = env.claims().getFirst().claim();

    // when: a late grant of another claim, then a command the workflow handles after it
    env.untyped(TestTasks.TASK_ID).signal(TaskWorkflow.SLOT_GRANTED, current + 1);
    TaskState paused = workflow.pause();

    // then
    assertThat(paused.status()).isEqualTo(TaskStatus.PAUSED);
    verify(env.agent, never()).run(any());
  }

  @Test
  void shouldMoveTheClaimInTheQueueWhenThePriorityChanges() {
    // given
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().priority(3).build());
    env.awaitSlotWait(workflow);
    int first = env.claims().getFirst().claim();
    // when
    workflow.setPriority(9);
    // then: the same claim, asked again with the new priority
    verify(env.slots, timeout(5_000))
        .claim(argThat(claim -> claim.priority() == 9 && claim.claim() == first));
    assertThat(workflow.state().statusReason()).contains("waiting for a free slot");
  }

  @Test
  void shouldGiveTheClaimBackWhilePausedAndClaimAgainOnResume() {
    // given
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().build());
    env.awaitSlotWait(workflow);
    int first = env.claims().getFirst().claim();

    // when
    TaskState paused = workflow.pause();

    // then: the claim goes, so it holds up no task behind it
    assertThat(paused.status()).isEqualTo(TaskStatus.PAUSED);
    verify(env.slots, timeout(5_000)).release(eq(TestTasks.TASK_ID));

    // when
    workflow.resume();
    // then: a new claim
    verify(env.slots, timeout(5_000)).claim(argThat(claim -> claim.claim() != first));
    env.grantSlot(TestTasks.TASK_ID);
    assertThat(env.result(TestTasks.TASK_ID).status()).isEqualTo(TaskStatus.SUCCEEDED);
  }

  @Test
  void shouldMoveTheClaimAheadOfEveryPriorityOnRunNowWithoutWaitingForTheSlot() {
    // given
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().priority(2).build());
    env.awaitSlotWait(workflow);
    int first = env.claims().getFirst().claim();

    // when: the Update answers at once, although the slot is still taken
    TaskState accepted = workflow.runNow();

    // then
    assertThat(accepted.status()).isEqualTo(TaskStatus.SCHEDULED);
    verify(env.slots, timeout(5_000))
        .claim(argThat(claim -> claim.priority() == SlotWait.FRONT && claim.claim() == first));
    verify(env.agent, never()).run(any());
  }

  @Test
  void shouldEndThePauseAndGoAheadOnRunNowWhilePausedInTheSlotWait() {
    // given
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().build());
    env.awaitSlotWait(workflow);
    int first = env.claims().getFirst().claim();
    workflow.pause();
    verify(env.slots, timeout(5_000)).release(eq(TestTasks.TASK_ID));

    // when
    TaskState accepted = workflow.runNow();

    // then
    assertThat(accepted.status()).isEqualTo(TaskStatus.SCHEDULED);
    verify(env.slots, timeout(5_000))
        .claim(argThat(claim -> claim.priority() == SlotWait.FRONT && claim.claim() != first));
  }

  @Test
  void shouldGiveTheClaimBackAndWaitWhenRescheduledLater() {
    // given
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().build());
    env.awaitSlotWait(workflow);
    Instant later = env.now().plus(Duration.ofHours(3));

    // when
    workflow.reschedule(later);

    // then: no claim while it waits for its new start, a new one then
    verify(env.slots, timeout(5_000)).release(eq(TestTasks.TASK_ID));
    when(env.slots.claim(any())).thenReturn(true);
    TaskState end = env.result(TestTasks.TASK_ID);
    assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(env.firstRecorded(TaskStatus.RUNNING).updatedAt()).isAfterOrEqualTo(later);
    List<SlotClaim> claims = env.claims();
    assertThat(claims).hasSize(2).extracting(SlotClaim::claim).doesNotHaveDuplicates();
  }

  @Test
  void shouldClaimAgainWhenTheSafetyNetTimerFires() {
    // given
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().build());
    env.awaitSlotWait(workflow);
    int first = env.claims().getFirst().claim();

    // when: the grant signal was lost
    env.sleep(SlotWait.SAFETY_NET.plusMinutes(1));

    // then: the same claim again, which renews it and may find the slot granted
    verify(env.slots, timeout(5_000).times(2)).claim(argThat(claim -> claim.claim() == first));
    verify(env.agent, never()).run(any());
  }

  @Test
  void shouldCancelWhileWaitingForASlotAndGiveTheClaimBack() {
    // given
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().build());
    env.awaitSlotWait(workflow);
    // when
    TaskState cancelled = workflow.cancel("no longer needed");
    // then
    assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    verify(env.agent, never()).run(any());
    verify(env.slots, timeout(5_000).times(1)).release(eq(TestTasks.TASK_ID));
    verify(env.slots, times(1)).claim(any());
  }
}
