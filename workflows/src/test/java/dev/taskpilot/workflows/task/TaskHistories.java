package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.when;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.agent.AgentOutcome;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The stored task histories under {@code src/test/resources/histories/}, and the scenarios that
 * recorded them.
 */
enum TaskHistories {
  /** Scheduled ahead, priority set, run now, approved before the run, published: SUCCEEDED. */
  APPROVED_RUN_NOW_WITH_PRIORITY(
      "task-approved-run-now-priority.json", TaskHistories::approvedRunNowWithPriority),

  /** Paused, rescheduled, resumed, then cancelled while waiting: CANCELLED. */
  PAUSED_RESCHEDULED_CANCELLED(
      "task-paused-rescheduled-cancelled.json", TaskHistories::pausedRescheduledCancelled),

  /** The first scenario again, recorded after the summariser was added (its version marker). */
  APPROVED_RUN_NOW_WITH_PRIORITY_SUMMARISED(
      "task-approved-run-now-priority-summarised.json", TaskHistories::approvedRunNowWithPriority),

  /**
   * Recorded after agent slots, per-type publishing and per-channel notifications were added: the
   * first slot claim is refused, the second granted; approved before publishing to a file, a
   * webhook and a git branch; two channels notified. Replays every change id of the task workflow.
   */
  SLOT_WAIT_EVERY_TARGET_NOTIFIED(
      "task-slot-wait-every-target-notified.json", TaskHistories::slotWaitEveryTargetNotified),

  /** Parked on a usage limit, past its budget (approved more), asked a question: SUCCEEDED. */
  PARKED_BUDGET_QUESTION("task-parked-budget-question.json", TaskHistories::parkedBudgetQuestion),

  /** Cancelled through the API while its agent runs: CANCELLED. */
  CANCELLED_WHILE_RUNNING(
      "task-cancelled-while-running.json", TaskHistories::cancelledWhileRunning),

  /** Rejected at the gate before the run: REJECTED. */
  REJECTED_BEFORE_RUN("task-rejected-before-run.json", TaskHistories::rejectedBeforeRun),

  /** The agent failed for good: FAILED. */
  AGENT_FAILED("task-agent-failed.json", TaskHistories::agentFailed),

  /** Cancelled through Temporal's own cancel at the gate before the run: CANCELLED, Canceled. */
  CANCELLED_IN_TEMPORAL_AT_GATE(
      "task-cancelled-in-temporal-at-gate.json", TaskHistories::cancelledInTemporalAtGate),

  /**
   * Recorded after slots were granted by signal and projection writes, slot claims and releases
   * became local activities: the claim is queued; its priority changes, it is paused (the claim
   * given back) and resumed (claimed again), sent run-now (to the front) and a late grant of
   * another claim, waits past the safety net, and is granted: SUCCEEDED.
   */
  SLOT_GRANTED_BY_SIGNAL("task-slot-granted-by-signal.json", TaskHistories::slotGrantedBySignal),

  /**
   * Recorded after a task's secrets were purged as its workflow's last step: published to a signed
   * webhook, an authenticated ntfy channel and a webhook channel with a stored URL notified (the
   * first attempt failing, the retry succeeding), then the secrets purged: SUCCEEDED.
   */
  SECRETS_PURGED_AFTER_NOTIFYING(
      "task-secrets-purged-after-notifying.json", TaskHistories::secretsPurgedAfterNotifying),

  /**
   * The first scenario again, recorded after search attributes were upserted on each change (the
   * {@code search-attributes} marker and UpsertWorkflowSearchAttributes events).
   */
  SEARCH_ATTRIBUTES_UPSERTED(
      "task-search-attributes-upserted.json", TaskHistories::approvedRunNowWithPriority);

  private final String fileName;
  private final Consumer<TaskTestEnvironment> scenario;

  TaskHistories(String file, Consumer<TaskTestEnvironment> scenario) {
    this.fileName = file;
    this.scenario = scenario;
  }

  private static void approvedRunNowWithPriority(TaskTestEnvironment env) {
    TaskWorkflow workflow =
        env.start(
            task()
                .notBefore(env.now().plus(Duration.ofHours(3)))
                .approveBeforeRun(true)
                .publish(TestTasks.file("release/notes.md"))
                .build());
    env.awaitStatus(TaskStatus.SCHEDULED);
    workflow.setPriority(8);
    workflow.runNow();
    workflow.approve("go ahead", null);
    env.result(TestTasks.TASK_ID);
  }

  private static void pausedRescheduledCancelled(TaskTestEnvironment env) {
    TaskWorkflow workflow =
        env.start(task().notBefore(env.now().plus(Duration.ofHours(3))).build());
    env.awaitStatus(TaskStatus.SCHEDULED);
    workflow.pause();
    workflow.reschedule(env.now().plus(Duration.ofHours(6)));
    workflow.resume();
    env.sleep(Duration.ofHours(1));
    workflow.cancel("superseded");
    env.result(TestTasks.TASK_ID);
  }

  private static void slotWaitEveryTargetNotified(TaskTestEnvironment env) {
    when(env.slots.acquire(any())).thenReturn(false, true);
    TaskWorkflow workflow =
        env.start(
            task()
                .approveBeforePublish(true)
                .publish(
                    TestTasks.file("release/notes.md"),
                    new PublishTarget.Webhook("https://hooks.example.org/release", true),
                    new PublishTarget.Git("file:///srv/git/docs.git", "taskpilot/task-1"))
                .channels(
                    new NotifyTarget.Ntfy(
                        TestTasks.NTFY_SERVER,
                        TestTasks.NTFY_TOPIC,
                        false,
                        List.of(NotifyEvent.AWAITING_APPROVAL, NotifyEvent.SUCCEEDED)),
                    new NotifyTarget.Webhook(
                        "https://chat.example.org/***", List.of(NotifyEvent.SUCCEEDED), true))
                .build());
    env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
    workflow.approve("ship it", null);
    env.result(TestTasks.TASK_ID);
  }

  private static void slotGrantedBySignal(TaskTestEnvironment env) {
    env.slotsStayTaken();
    TaskWorkflow workflow = env.start(task().priority(4).build());
    env.awaitSlotWait(workflow);
    workflow.setPriority(6);
    workflow.pause();
    workflow.resume();
    workflow.runNow();
    env.untyped(TestTasks.TASK_ID).signal(TaskWorkflow.SLOT_GRANTED, 0);
    env.sleep(SlotWait.SAFETY_NET.plusMinutes(1));
    env.grantSlot(TestTasks.TASK_ID);
    env.result(TestTasks.TASK_ID);
  }

  private static void secretsPurgedAfterNotifying(TaskTestEnvironment env) {
    AtomicInteger sends = new AtomicInteger();
    doAnswer(
            call -> {
              if (sends.incrementAndGet() == 1) {
                throw new IllegalStateException("ntfy answered 503");
              }
              return null;
            })
        .when(env.notifying)
        .send(any());
    env.run(
        task()
            .publish(new PublishTarget.Webhook("https://hooks.example.org/release", true))
            .channels(
                new NotifyTarget.Ntfy(
                    TestTasks.NTFY_SERVER,
                    TestTasks.NTFY_TOPIC,
                    true,
                    List.of(NotifyEvent.SUCCEEDED)),
                new NotifyTarget.Webhook(
                    "https://chat.example.org/***", List.of(NotifyEvent.SUCCEEDED), true))
            .build());
  }

  private static void parkedBudgetQuestion(TaskTestEnvironment env) {
    AtomicInteger runs = new AtomicInteger();
    doAnswer(
            call -> {
              Instant now = env.now();
              return switch (runs.incrementAndGet()) {
                case 1 ->
                    TestTasks.stopped(
                        now, AgentOutcome.PARKED, now.plus(Duration.ofMinutes(30)), null);
                case 2 -> TestTasks.stopped(now, AgentOutcome.BUDGET_EXCEEDED, null, null);
                case 3 -> TestTasks.stopped(now, AgentOutcome.QUESTION, null, "Which branch?");
                default -> TestTasks.agentResult(now);
              };
            })
        .when(env.agent)
        .run(any());
    TaskWorkflow workflow = env.start(task().budgetUsd("0.50").build());
    env.awaitStatus(TaskStatus.PARKED);
    env.sleep(Duration.ofMinutes(31));
    env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
    workflow.approve("more", new BigDecimal("5.00"));
    env.awaitStatus(TaskStatus.WAITING_FOR_INPUT);
    workflow.provideInput("main");
    env.result(TestTasks.TASK_ID);
  }

  private static void cancelledWhileRunning(TaskTestEnvironment env) {
    HeartbeatingAgent agent = new HeartbeatingAgent();
    env.useAgent(agent);
    TaskWorkflow workflow = env.start(task().build());
    try {
      if (!agent.awaitStarted()) {
        throw new IllegalStateException("the agent did not start");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    workflow.cancel("taking too long");
    env.result(TestTasks.TASK_ID);
  }

  private static void rejectedBeforeRun(TaskTestEnvironment env) {
    TaskWorkflow workflow = env.start(task().approveBeforeRun(true).build());
    env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
    workflow.reject("not now");
    env.result(TestTasks.TASK_ID);
  }

  private static void agentFailed(TaskTestEnvironment env) {
    doThrow(ApplicationFailure.newNonRetryableFailure("exit 3", "AGENT_FAILED"))
        .when(env.agent)
        .run(any());
    env.run(task().build());
  }

  private static void cancelledInTemporalAtGate(TaskTestEnvironment env) {
    env.start(task().approveBeforeRun(true).notifyOn(NotifyEvent.CANCELLED).build());
    env.awaitStatus(TaskStatus.AWAITING_APPROVAL);
    env.untyped(TestTasks.TASK_ID).cancel();
    try {
      env.result(TestTasks.TASK_ID);
    } catch (io.temporal.client.WorkflowFailedException cancelled) {
      // Temporal shows the workflow as cancelled: the end this scenario records.
    }
  }

  /** The file name under {@code histories/}. */
  String file() {
    return fileName;
  }

  /** The classpath resource replayers read. */
  String resource() {
    return "histories/" + fileName;
  }

  /** Drives a task through the scenario in a fresh environment. */
  void play(TaskTestEnvironment env) {
    scenario.accept(env);
  }
}
