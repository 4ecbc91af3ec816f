package dev.taskpilot.workflows.task;

import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * One durable timer a wait can set, check in an await condition, and clear, so a wait that a
 * command wakes leaves no timer behind to wake the workflow again later. Temporal's cancel does not
 * stop it; the waits that use it watch for cancels themselves. Workflow code only.
 */
final class Alarm {
  private CancellationScope scope;
  private Promise<Void> timer;

  /** Sets the alarm to ring after {@code delay}, clearing any earlier setting. */
  void set(Duration delay) {
    clear();
    @SuppressWarnings("unchecked")
    Promise<Void>[] started = new Promise[1];
    scope = Workflow.newDetachedCancellationScope(() -> started[0] = Workflow.newTimer(delay));
    scope.run();
    timer = started[0];
  }

  /** True once the time set has passed. Usable in await conditions. */
  boolean rang() {
    return timer != null && timer.isCompleted();
  }

  /** Cancels the timer if it has not rung. */
  void clear() {
    if (scope != null && !timer.isCompleted()) {
      scope.cancel();
    }
    scope = null;
    timer = null;
  }
}
