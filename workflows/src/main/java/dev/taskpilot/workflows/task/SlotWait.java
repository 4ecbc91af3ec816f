package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.Priority;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.slots.SlotActivities;
import dev.taskpilot.workflows.activities.slots.SlotClaim;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A task's wait for a fleet-wide agent slot, which costs nothing while it waits: one short claim (a
 * local activity, like the release) queues the task in PostgreSQL, and whoever frees a slot grants
 * the next claims there and sends their workflows the {@code SlotGranted} signal. Between the two
 * the workflow only awaits the signal, a command, or a long safety-net timer (after which it claims
 * again, renewing the claim).
 *
 * <p>Commands apply while it waits: a priority change moves the claim in the queue; pause gives the
 * claim back until resume; a reschedule into the future gives it back until then; run-now ends a
 * pause and moves the claim ahead of every priority (the slot limits and a plain workspace's one
 * run at a time still hold); cancel gives the claim back and ends the task. Workflow code only.
 */
final class SlotWait {
  /** How long a wait trusts the signal before it claims again: what a lost signal costs. */
  static final Duration SAFETY_NET = Duration.ofMinutes(30);

  /** The queue place of a claim after run-now: ahead of every priority. */
  static final int FRONT = Priority.MAX + 1;

  private final SlotActivities local =
      Workflow.newLocalActivityStub(SlotActivities.class, ActivityDefaults.SLOT_LOCAL);
  private final TaskContext task;
  private final Set<Integer> granted = new HashSet<>();
  private int claimsMade;
  private long runNowsApplied;
  private boolean front;
  private boolean waiting;
  private int claimedPlace;

  SlotWait(TaskContext task) {
    this.task = task;
  }

  /** The SlotGranted signal: claim number {@code number} was granted. */
  void onGranted(int number) {
    granted.add(number);
  }

  /** Whether a run-now moved the claim ahead of every priority. */
  boolean atFront() {
    return front;
  }

  /** True while the task waits in the queue for its grant (not while paused or deferred). */
  boolean waiting() {
    return waiting;
  }

  /**
   * Returns once the task holds its slot. On a cancel, records the end with {@code cancelled},
   * gives a held claim back, and throws what it returned.
   *
   * @param atFront whether the claim starts at the front (a continued run's run-now)
   * @param checkpoint run at every wake of the wait (where a long wait may continue as new)
   */
  void acquire(Supplier<TaskEnded> cancelled, boolean atFront, Runnable checkpoint) {
    // Run-now commands before this wait were for the start wait; this wait starts in line.
    runNowsApplied = task.commands.runNows();
    front = atFront;
    Instant notBeforeSeen = task.progress.notBefore;
    while (true) {
      deferWhileHeldBack(notBeforeSeen, cancelled, checkpoint);
      notBeforeSeen = task.progress.notBefore;
      int number = nextClaimNumber();
      if (claim(number)) {
        return;
      }
      task.record(TaskStatus.SCHEDULED, "waiting for a free slot of agent " + task.input.agent());
      waiting = true;
      try {
        if (awaitGrant(number, notBeforeSeen, cancelled, checkpoint)) {
          return;
        }
      } finally {
        waiting = false;
      }
    }
  }

  /** Gives the slot (or the waiting claim) back, also when the workflow itself was cancelled. */
  void release() {
    TaskContext.uncancelled(() -> local.release(task.input.taskId()));
  }

  /**
   * Waits for the grant of claim {@code number}. True when it came; false when the task was paused
   * or moved later, and the claim was given back.
   */
  private boolean awaitGrant(
      int number, Instant notBeforeSeen, Supplier<TaskEnded> cancelled, Runnable checkpoint) {
    Alarm safetyNet = new Alarm();
    safetyNet.set(SAFETY_NET);
    try {
      while (true) {
        checkpoint.run();
        // State, not a count of commands: a command handled before this line is seen, too.
        TaskContext.uncancelled(
            () ->
                Workflow.await(
                    () ->
                        granted.contains(number)
                            || task.cancelled()
                            || heldBack(notBeforeSeen)
                            || task.commands.runNows() != runNowsApplied
                            || queuePlace() != claimedPlace
                            || safetyNet.rang()));
        if (task.cancelled()) {
          TaskEnded ended = cancelled.get();
          release();
          throw ended;
        }
        if (heldBack(notBeforeSeen)) {
          release();
          return false;
        }
        if (granted.contains(number)) {
          return true;
        }
        if (task.commands.runNows() != runNowsApplied) {
          applyRunNow();
        }
        if (safetyNet.rang()) {
          safetyNet.set(SAFETY_NET);
        }
        // A new priority, run-now, or the safety net: claim again (it renews the claim, too).
        if (claim(number)) {
          return true;
        }
      }
    } finally {
      safetyNet.clear();
    }
  }

  /** While the task is paused or was moved to a later start, waits holding no claim. */
  private void deferWhileHeldBack(
      Instant notBeforeSeen, Supplier<TaskEnded> cancelled, Runnable checkpoint) {
    Alarm start = new Alarm();
    try {
      while (true) {
        if (task.cancelled()) {
          throw cancelled.get();
        }
        if (task.commands.runNows() != runNowsApplied) {
          applyRunNow();
          return;
        }
        checkpoint.run();
        if (!heldBack(notBeforeSeen)) {
          return;
        }
        boolean paused = task.progress.status == TaskStatus.PAUSED;
        Instant until = task.progress.notBefore;
        if (paused) {
          start.clear();
        } else {
          start.set(Duration.between(TaskContext.now(), until));
          if (task.progress.statusReason != null) {
            // The task waits for its new start now, not for a slot.
            task.record(TaskStatus.SCHEDULED, null);
          }
        }
        TaskContext.uncancelled(
            () ->
                Workflow.await(
                    () ->
                        task.cancelled()
                            || task.commands.runNows() != runNowsApplied
                            || (task.progress.status == TaskStatus.PAUSED) != paused
                            || !Objects.equals(task.progress.notBefore, until)
                            || start.rang()));
        Instant notBefore = task.progress.notBefore;
        if (task.progress.status != TaskStatus.PAUSED
            && (notBefore == null || !notBefore.isAfter(TaskContext.now()))) {
          // The new start came.
          return;
        }
      }
    } finally {
      start.clear();
    }
  }

  /** Paused, or rescheduled (or replanned) to a start still ahead, and no run-now since. */
  private boolean heldBack(Instant notBeforeSeen) {
    if (task.commands.runNows() != runNowsApplied) {
      return false;
    }
    if (task.progress.status == TaskStatus.PAUSED) {
      return true;
    }
    Instant notBefore = task.progress.notBefore;
    return !front
        && notBefore != null
        && !notBefore.equals(notBeforeSeen)
        && notBefore.isAfter(TaskContext.now());
  }

  /** Run-now: ends a pause, and the claim goes ahead of every priority. */
  private void applyRunNow() {
    runNowsApplied = task.commands.runNows();
    front = true;
    if (task.progress.status == TaskStatus.PAUSED) {
      task.progress.status = TaskStatus.SCHEDULED;
    }
  }

  /**
   * A number for the next claim, unique to this run: a grant meant for a claim of an earlier run (a
   * workflow started again under the same id) or an earlier claim of this one is never mistaken for
   * the current. Derived from the run's start time (the same on replay), not from workflow
   * randomness, which would shift the activity ids of every later step.
   */
  private int nextClaimNumber() {
    claimsMade++;
    long started = Workflow.getInfo().getRunStartedTimestampMillis();
    int number = (Long.hashCode(started) * 31 + claimsMade) & Integer.MAX_VALUE;
    return number == 0 ? claimsMade : number;
  }

  /** The claim's place in the queue: its priority, or the front after run-now. */
  private int queuePlace() {
    return front ? FRONT : task.progress.priority;
  }

  /** One short claim; true when the task holds its slot. */
  private boolean claim(int number) {
    boolean[] held = new boolean[1];
    TaskInput input = task.input;
    claimedPlace = queuePlace();
    SlotClaim request =
        new SlotClaim(input.taskId(), input.agent(), input.workspace(), claimedPlace, number);
    TaskContext.uncancelled(() -> held[0] = local.claim(request));
    return held[0];
  }
}
