package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.activities.agent.AgentOutcome;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Temporal's own cancel (what the Web UI sends, {@code WorkflowStub.cancel}) ends a task in every
 * status it can be in: the projection says CANCELLED, people hear of it, an agent is cancelled, a
 * slot or a waiting claim is given back, and Temporal shows the workflow as cancelled.
 */
class TaskWorkflowTemporalCancelTest extends TaskWorkflowTestSupport {

  /** Cancels through Temporal and checks everything a cancelled task must show. */
  private TaskState cancelInTemporalAndAwaitEnd() {
    return cancelInTemporalAndAwaitEnd(() -> {});
  }

  /** The same, doing {@code afterCancel} between the cancel and the wait for the end. */
  private TaskState cancelInTemporalAndAwaitEnd(Runnable afterCancel) {
    env.untyped(TestTasks.TASK_ID).cancel();
    afterCancel.run();
    assertThatThrownBy(() -> env.result(TestTasks.TASK_ID))
        .isInstanceOf(WorkflowFailedException.class)
        .cause()
        .isInstanceOf(CanceledFailure.class);
    assertThat(workflowStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    TaskState last = env.recorded().getLast();
    assertThat(last.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(last.statusReason()).isEqualTo(TaskContext.CANCELLED_IN_TEMPORAL);
    verify(env.notifying, timeout(5_000)).send(argThat(n -> n.event() == NotifyEvent.CANCELLED));
    return last;
  }

  private WorkflowExecutionStatus workflowStatus() {
    return env.temporal
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(env.temporal.getNamespace())
                .setExecution(
                    WorkflowExecution.newBuilder()
                        .setWorkflowId(WorkflowIds.task(TestTasks.TASK_ID)))
                .build())
        .getWorkflowExecutionInfo()
        .getStatus();
  }

  @Test
  void shouldEndCancelledWhenCancelledInTemporalWhilePlanningIsRetried() throws Exception {
    // given: the planner failed once and its retry is held
    Hold retry = new Hold();
    AtomicInteger calls = new AtomicInteger();
    doAnswer(
            call -> {
              if (calls.incrementAndGet() == 1) {
                throw ApplicationFailure.newFailure("model overloaded", "LLM_UNAVAILABLE");
              }
              return retry
                  .then(held -> TestTasks.plan(call.<PlanRequest>getArgument(0).now(), false))
                  .answer(call);
            })
        .when(env.planning)
        .plan(any());
    env.start(notifyingOnCancel().build());
    retry.awaitEntered();

    // when / then
    cancelInTemporalAndAwaitEnd();
    retry.release();
    assertThat(env.recordedStatuses()).containsExactly(TaskStatus.PLANNING, TaskStatus.CANCELLED);
    verify(env.agent, never()).run(any());
  }

  @Test
  void shouldEndCancelledWhenCancelledInTemporalWhileScheduledAhead() {
    // given
    env.start(notifyingOnCancel().notBefore(env.now().plus(Duration.ofHours(3))).build());
    env.awaitStatus(TaskStatus.SCHEDULED);

    // when / then
    cancelInTemporalAndAwaitEnd();
    verify(env.agent, never()).run(any());
  }

  @Test
  void shouldEndCancelledWhenCancelledInTemporalWhilePaused() {
    // given
    TaskWorkflow workflow =
        env.start(notifyingOnCancel().notBefore(env.now().plus(Duration.ofHours(3))).build());
    env.awaitStatus(TaskStatus.SCHEDULED);
    workflow.pause();

    // when / then
    cancelInTemporalAndAwaitEnd();
    verify(env.agent, never()).run(any());
  }

  @Test
  void shouldEndCancelledAndGiveTheClaimBackWhenCancelledInTemporalWhileWaitingForASlot() {
    // given
    env.slotsStayTaken();
    env.awaitSlotWait(env.start(notifyingOnCancel().build()));

    // when
    TaskState last = cancelInTemporalAndAwaitEnd();

    // then
    verify(env.agent, never()).run(any());
    verify(env.slots, timeout(5_000)).release(eq(TestTasks.TASK_ID));
    assertThat(last.run().endedAt()).isNotNull();
  }

  @Test
  void shouldEndCancelledWhenCancelledInTemporalWhileAwaitingApproval() {
    // given
    env.start(notifyingOnCancel().approveBeforeRun(true).build());
    env.awaitStatus(TaskStatus.AWAITING_APPROVAL);

    // when
    TaskState last = cancelInTemporalAndAwaitEnd();

    // then
    assertThat(last.gate()).isNull();
    verify(env.agent, never()).run(any());
  }

  @Test
  void shouldEndCancelledWhenCancelledInTemporalWhileItsStateIsWritten() throws Exception {
    // given: the write of AWAITING_APPROVAL is held
    Hold write = new Hold();
    doAnswer(write.then(call -> null))
        .when(env.projection)
        .record(argThat(s -> s.status() == TaskStatus.AWAITING_APPROVAL));
    env.start(notifyingOnCancel().approveBeforeRun(true).build());
    write.awaitEntered();

    // when: the write is not cancelled halfway; it finishes, then the task ends
    TaskState last = cancelInTemporalAndAwaitEnd(write::release);

    // then
    assertThat(last.gate()).isNull();
  }

  @Test
  void shouldEndCancelledWhenCancelledInTemporalWhileWaitingForInput() {
    // given
    agentStopsOnce(AgentOutcome.QUESTION, null, "Which branch?");
    env.start(notifyingOnCancel().build());
    env.awaitStatus(TaskStatus.WAITING_FOR_INPUT);

    // when
    TaskState last = cancelInTemporalAndAwaitEnd();

    // then: the run's cost and session are kept
    assertThat(last.run().sessionId()).isEqualTo("session-9");
    assertThat(last.run().costUsd()).isEqualByComparingTo("0.30");
  }

  @Test
  void shouldEndCancelledWhenCancelledInTemporalWhileParked() {
    // given
    agentStopsOnce(AgentOutcome.PARKED, env.now().plus(Duration.ofHours(5)), null);
    env.start(notifyingOnCancel().build());
    env.awaitStatus(TaskStatus.PARKED);

    // when / then
    cancelInTemporalAndAwaitEnd();
  }

  @Test
  void shouldCancelTheAgentAndGiveTheSlotBackWhenCancelledInTemporalWhileRunning()
      throws Exception {
    // given
    HeartbeatingAgent agent = new HeartbeatingAgent();
    env.useAgent(agent);
    env.start(notifyingOnCancel().build());
    assertThat(agent.awaitStarted()).isTrue();

    // when
    TaskState last = cancelInTemporalAndAwaitEnd();

    // then
    assertThat(agent.wasCancelled()).isTrue();
    verify(env.slots, timeout(5_000)).release(eq(TestTasks.TASK_ID));
    assertThat(last.run().endedAt()).isNotNull();
    assertThat(last.result()).isNull();
  }

  @Test
  void shouldEndCancelledWhenCancelledInTemporalWhilePublishing() throws Exception {
    // given: the webhook target is held mid-delivery
    Hold delivery = new Hold();
    doAnswer(delivery.then(call -> null)).when(env.publishing).publishWebhook(any());
    env.start(
        notifyingOnCancel()
            .publish(
                new dev.taskpilot.workflows.activities.publish.PublishTarget.Webhook(
                    "https://hooks.example.org/release", false))
            .build());
    delivery.awaitEntered();

    // when / then
    cancelInTemporalAndAwaitEnd();
    delivery.release();
    assertThat(env.recordedStatuses()).contains(TaskStatus.PUBLISHING);
  }

  private TestTasks.Builder notifyingOnCancel() {
    return task().notifyOn(NotifyEvent.CANCELLED);
  }

  private void agentStopsOnce(AgentOutcome outcome, Instant parkedUntil, String question) {
    AtomicInteger runs = new AtomicInteger();
    when(env.agent.run(any()))
        .thenAnswer(
            call -> {
              Instant now = env.now();
              return runs.incrementAndGet() > 1
                  ? TestTasks.agentResult(now)
                  : TestTasks.stopped(now, outcome, parkedUntil, question);
            });
  }
}
