package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.ProjectionWriter;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Instant;

/**
 * What every step of a task shares: its input, its progress, the commands received, the projection
 * and the notifier; and the one answer to "was the task cancelled?", whether through the API's
 * cancel command or through Temporal's own cancel (the Web UI, {@code WorkflowStub.cancel}).
 * Workflow code only.
 */
final class TaskContext {
  static final String CANCELLED_IN_TEMPORAL = "cancelled in Temporal";

  /** The history length at which a waiting task continues as new. */
  static final int HISTORY_LIMIT = 1_000;

  final TaskInput input;
  final TaskProgress progress;
  final TaskCommands commands;
  final Notifier notifier;
  private final ProjectionWriter<TaskState> projection;
  private CancellationScope root;

  TaskContext(
      TaskInput input,
      TaskProgress progress,
      TaskCommands commands,
      Notifier notifier,
      ProjectionWriter<TaskState> projection) {
    this.input = input;
    this.progress = progress;
    this.commands = commands;
    this.notifier = notifier;
    this.projection = projection;
  }

  /** Remembers the workflow's root scope, which Temporal's cancel cancels; call from run(). */
  void watchRootScope() {
    root = CancellationScope.current();
  }

  /** True once Temporal's own cancel reached the workflow. */
  boolean cancelledInTemporal() {
    return root != null && root.isCancelRequested();
  }

  /** True once the task was cancelled, by either way. Usable in await conditions. */
  boolean cancelled() {
    return commands.cancelRequested() || cancelledInTemporal();
  }

  String cancelReason() {
    if (commands.cancelRequested()) {
      return commands.cancelReason();
    }
    String reason = root == null ? null : root.getCancellationReason();
    return reason == null || reason.isBlank() ? CANCELLED_IN_TEMPORAL : reason;
  }

  /** Ends the task as cancelled when it was. */
  void throwIfCancelled() {
    if (cancelled()) {
      throw TaskEnded.cancelled(cancelReason());
    }
  }

  /** Sets the status and writes the new state into the projection. */
  void record(TaskStatus status, String reason) {
    progress.status = status;
    progress.statusReason = reason;
    projection.write();
  }

  /**
   * Records the task's end and tells people. Both run also after Temporal's cancel: projection
   * writes and notifications are {@link #uncancelled} steps.
   */
  void end(TaskStatus terminal, String reason, NotifyEvent event, String message) {
    record(terminal, reason);
    notifier.send(event, message);
  }

  /** Records an early end, unless the step that threw it already did. */
  void end(TaskEnded ended) {
    if (!ended.isRecorded()) {
      end(ended.status(), ended.reason(), ended.event(), ended.notification());
    }
  }

  /**
   * Runs a step that Temporal's cancel must not interrupt: a short one (a projection write, a slot
   * claim, a notification), which ends by itself soon, after which the workflow sees the cancel; or
   * the wind-down after the end. (Cancelling an activity that completes at the same moment also
   * makes the embedded engine refuse the workflow task, ACTIVITY_UNKNOWN.)
   */
  static void uncancelled(Runnable step) {
    Workflow.newDetachedCancellationScope(step).run();
  }

  /**
   * Continues the task as a new run from {@code stage}, carrying its state, once its history has
   * grown past {@link #HISTORY_LIMIT} events (or Temporal suggests it) and no command is being
   * handled; otherwise does nothing. Called by waits before the agent's first run, where commands
   * pile up (a task that waits for weeks may be paused and resumed thousands of times).
   */
  void continueIfLong(TaskCarry.Stage stage, boolean slotFront) {
    WorkflowInfo info = Workflow.getInfo();
    if (info.getHistoryLength() < HISTORY_LIMIT && !info.isContinueAsNewSuggested()) {
      return;
    }
    // The commands being handled finish first; a run-now or a cancel moves the task on instead.
    long runNows = commands.runNows();
    uncancelled(
        () ->
            Workflow.await(
                () ->
                    Workflow.isEveryHandlerFinished()
                        || cancelled()
                        || commands.runNows() != runNows));
    if (cancelled() || commands.runNows() != runNows || !Workflow.isEveryHandlerFinished()) {
      return;
    }
    // Histories from before tasks continued as new replay without it.
    if (Workflow.getVersion("continue-as-new", Workflow.DEFAULT_VERSION, 1) < 1) {
      return;
    }
    notifier.awaitPending();
    Workflow.continueAsNew(
        input.carrying(progress.carry(stage, commands, projection.version(), slotFront)));
  }

  static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
