package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.agent.AgentActivities;
import dev.taskpilot.workflows.activities.agent.AgentOutcome;
import dev.taskpilot.workflows.activities.agent.AgentRunRequest;
import dev.taskpilot.workflows.activities.agent.AgentRunResult;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.slots.SlotActivities;
import dev.taskpilot.workflows.activities.slots.SlotRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a task's agent until it completes, each run holding a fleet-wide agent slot: a usage limit
 * parks the task until the reset, a crossed budget and a question wait for a person, and each then
 * continues the agent's session. A cancel kills a running agent through the run's cancellation
 * scope and ends the task with {@link TaskEnded}. Workflow code only.
 */
final class AgentRuns {
  static final String CONTINUE_PROMPT = "Continue where you left off.";
  private static final Duration DEFAULT_PARKING = Duration.ofHours(1);
  private static final Duration SLOT_QUIET_WAIT = Duration.ofSeconds(2);
  private static final Duration SLOT_WAIT_WINDOW = Duration.ofSeconds(5);

  // The polling slot wait of histories from before slots were granted by signal.
  private final SlotActivities slotWaits =
      Workflow.newActivityStub(SlotActivities.class, ActivityDefaults.SLOT_ACQUIRE);
  private final SlotActivities slotReleases =
      Workflow.newActivityStub(SlotActivities.class, ActivityDefaults.SLOT_RELEASE);
  private final TaskContext task;
  private final ApprovalGates gates;
  private final SlotWait slotWait;
  private boolean slotsBySignal;
  private CancellationScope agentScope;
  private Promise<AgentRunResult> agentRun;

  /** Agent runs this workflow run has started, for the activity summary only. */
  private int agentRunsStarted;

  AgentRuns(TaskContext task, ApprovalGates gates) {
    this.task = task;
    this.gates = gates;
    this.slotWait = new SlotWait(task);
  }

  /** The SlotGranted signal. */
  void slotGranted(int claim) {
    slotWait.onGranted(claim);
  }

  /** True while the task waits in the queue for an agent slot. */
  boolean waitingForSlot() {
    return slotWait.waiting();
  }

  /** Runs the agent to completion and returns its result text. */
  String runToCompletion(TaskCarry carried) {
    TaskProgress progress = task.progress;
    // Histories from before slots were granted by signal polled for them, showing RUNNING first.
    slotsBySignal = Workflow.getVersion("slot-signals", Workflow.DEFAULT_VERSION, 1) >= 1;
    TaskCarry.Stage stage = carried == null ? null : carried.stage();
    RunInfo before = carried != null && carried.resumed() != null ? carried.resumed().run() : null;
    progress.run = before != null ? before : RunInfo.starting(TaskContext.now());
    if (!slotsBySignal) {
      task.record(TaskStatus.RUNNING, null);
    }
    // Null: the plan's instructions as they are once the slot is held (a replan may come first).
    String prompt = null;
    String sessionId = before != null ? before.sessionId() : null;
    BigDecimal spent =
        before != null && before.costUsd() != null ? before.costUsd() : BigDecimal.ZERO;
    boolean firstRun = before == null;
    boolean atFront = carried != null && carried.slotFront();
    if (stage == TaskCarry.Stage.RUN
        || stage == TaskCarry.Stage.INPUT
        || stage == TaskCarry.Stage.BUDGET) {
      // Restarted from PostgreSQL while the agent ran or waited for a person: the run goes on
      // from there, continuing the agent's session where its profile can.
      String resume = sessionId != null ? CONTINUE_PROMPT : null;
      prompt =
          switch (stage) {
            case INPUT -> gates.awaitAnswer(progress.statusReason);
            case BUDGET -> {
              gates.awaitMoreBudget(spent);
              yield resume;
            }
            default -> resume;
          };
    }
    while (true) {
      task.throwIfCancelled();
      AgentRunResult done = runOnce(prompt, sessionId, spent, firstRun, atFront);
      atFront = false;
      if (done.costUsd() != null) {
        spent = spent.add(done.costUsd());
      }
      sessionId = done.sessionId() != null ? done.sessionId() : sessionId;
      // The run started when its first agent process did (after any wait for a slot).
      Instant startedAt =
          firstRun && done.startedAt() != null ? done.startedAt() : progress.run.startedAt();
      firstRun = false;
      progress.run =
          new RunInfo(
              done.attempt(),
              startedAt,
              done.endedAt(),
              done.exitCode(),
              done.costUsd() == null && spent.signum() == 0 ? null : spent,
              sessionId,
              done.outputLines());
      AgentOutcome outcome = done.outcomeOrCompleted();
      if (outcome == AgentOutcome.COMPLETED) {
        return done.resultText();
      }
      String resume = sessionId != null ? CONTINUE_PROMPT : progress.plan.instructions();
      prompt =
          switch (outcome) {
            case PARKED -> {
              park(done.parkedUntil());
              yield resume;
            }
            case BUDGET_EXCEEDED -> {
              gates.awaitMoreBudget(spent);
              yield resume;
            }
            case QUESTION -> gates.awaitAnswer(done.question());
            // Its worker stopped: run again at once (after a new slot claim), on another worker.
            case HANDED_OVER -> resume;
            case COMPLETED -> throw new IllegalStateException("a completed run ends the loop");
          };
      if (!slotsBySignal) {
        task.record(TaskStatus.RUNNING, null);
      }
    }
  }

  /** Cancels the agent that runs now, if one does; the run then ends the task as cancelled. */
  void cancelRunning(String reason) {
    // The embedded engine refuses to cancel a completed activity.
    if (agentScope != null && agentRun != null && !agentRun.isCompleted()) {
      agentScope.cancel(reason);
    }
  }

  private AgentRunRequest request(String prompt, String sessionId, BigDecimal spent) {
    TaskInput input = task.input;
    return new AgentRunRequest(
        input.taskId(),
        input.agent(),
        input.workspace(),
        prompt != null ? prompt : task.progress.plan.instructions(),
        input.timeout(),
        sessionId,
        task.progress.budget,
        spent);
  }

  /** One run of the agent activity, holding a fleet-wide agent slot around it. */
  private AgentRunResult runOnce(
      String prompt, String sessionId, BigDecimal spent, boolean firstRun, boolean atFront) {
    // Histories from before agent slots existed replay without them.
    boolean slots = Workflow.getVersion("agent-slots", Workflow.DEFAULT_VERSION, 1) >= 1;
    if (slots && slotsBySignal) {
      // Before the first run nothing of a run needs carrying: a long wait may continue as new.
      Runnable checkpoint =
          firstRun
              ? () -> task.continueIfLong(TaskCarry.Stage.SLOT_WAIT, slotWait.atFront())
              : () -> {};
      slotWait.acquire(this::runCancelled, atFront, checkpoint);
    } else if (slots) {
      acquireSlot();
    }
    if (task.progress.status != TaskStatus.RUNNING) {
      task.record(TaskStatus.RUNNING, null);
    }
    AgentRunRequest request = request(prompt, sessionId, spent);
    try {
      AgentActivities agent =
          Workflow.newActivityStub(
              AgentActivities.class,
              ActivityOptions.newBuilder(ActivityDefaults.AGENT)
                  .setSummary(
                      ActivityDefaults.agentSummary(
                          task.input.agent(), task.input.workspace(), ++agentRunsStarted))
                  .setStartToCloseTimeout(task.input.timeout().plus(ActivityDefaults.AGENT_GRACE))
                  .build());
      List<Promise<AgentRunResult>> started = new ArrayList<>();
      agentScope =
          Workflow.newCancellationScope(() -> started.add(Async.function(agent::run, request)));
      agentScope.run();
      agentRun = started.getFirst();
      try {
        return agentRun.get();
      } catch (ActivityFailure e) {
        if (task.cancelled() && e.getCause() instanceof CanceledFailure) {
          throw runCancelled();
        }
        throw e;
      } finally {
        agentRun = null;
        agentScope = null;
      }
    } finally {
      if (slots) {
        releaseSlot();
      }
    }
  }

  /**
   * The slot wait of histories from before slots were granted by signal: short polling calls, so
   * cancel never has to interrupt one; the task shows SCHEDULED with the reason when the first call
   * does not get the slot.
   */
  private void acquireSlot() {
    boolean granted = claimSlot(SLOT_QUIET_WAIT);
    if (!granted) {
      task.record(TaskStatus.SCHEDULED, "waiting for a free slot of agent " + task.input.agent());
    }
    while (!granted && !task.cancelled()) {
      granted = claimSlot(SLOT_WAIT_WINDOW);
    }
    if (task.cancelled()) {
      TaskEnded cancelled = runCancelled();
      // The waiting claim (or a slot granted just now) goes too, so it holds up no task.
      releaseSlot();
      throw cancelled;
    }
  }

  /** One short claim call; a cancel, of either kind, is seen when it returns. */
  private boolean claimSlot(Duration maxWait) {
    boolean[] granted = new boolean[1];
    TaskContext.uncancelled(() -> granted[0] = slotWaits.acquire(slotClaim(maxWait)));
    return granted[0];
  }

  private SlotRequest slotClaim(Duration maxWait) {
    TaskInput input = task.input;
    return new SlotRequest(
        input.taskId(), input.agent(), input.workspace(), task.progress.priority, maxWait);
  }

  /** Gives the slot (or the waiting claim) back, also when the workflow itself was cancelled. */
  private void releaseSlot() {
    if (slotsBySignal) {
      slotWait.release();
    } else {
      TaskContext.uncancelled(() -> slotReleases.release(task.input.taskId()));
    }
  }

  /** Ends the run and records the task as cancelled, before its slot is given back. */
  private TaskEnded runCancelled() {
    task.progress.run = task.progress.run.endedAt(TaskContext.now());
    TaskEnded cancelled = TaskEnded.cancelled(task.cancelReason());
    task.end(cancelled);
    return cancelled.recorded();
  }

  /** Parks the task until the provider's limit resets. */
  private void park(Instant until) {
    Instant resume = until == null ? TaskContext.now().plus(DEFAULT_PARKING) : until;
    task.record(TaskStatus.PARKED, "usage limit reached; resumes at " + resume);
    task.notifier.send(
        NotifyEvent.PARKED, "The agent's usage limit was reached; resuming at " + resume);
    Duration wait = Duration.between(TaskContext.now(), resume);
    if (wait.isPositive()) {
      Workflow.await(wait, task::cancelled);
    }
    task.throwIfCancelled();
  }
}
