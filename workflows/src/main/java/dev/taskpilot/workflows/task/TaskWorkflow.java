package dev.taskpilot.workflows.task;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One task, from plan to result. Commands are Updates: their validators reject a command that does
 * not apply to the current status with an {@code INVALID_STATE} failure, so the caller learns at
 * once whether it applied; each returns the state after the change, once it is in the projection.
 */
@WorkflowInterface
public interface TaskWorkflow {
  /** The name of the {@link #slotGranted} signal. */
  String SLOT_GRANTED = "SlotGranted";

  /** Carries the task through plan, wait, approval, agent run, publish and notify to its end. */
  @WorkflowMethod(name = "Task")
  TaskState run(TaskInput input);

  /**
   * Sent by whoever grants the task's agent slot claim number {@code claim} (see {@code
   * SlotActivities.claim}); a signal for an earlier claim is ignored. Not a user command.
   */
  @SignalMethod(name = SLOT_GRANTED)
  void slotGranted(int claim);

  /** The task's live state. */
  @QueryMethod
  TaskState state();

  /**
   * Approves the gate the task waits at (status AWAITING_APPROVAL). At the budget gate it needs a
   * {@code budgetUsd} above what was spent; elsewhere {@code budgetUsd} is optional and, when
   * given, becomes the task's budget. (The second parameter was added later; older callers send
   * one.)
   */
  @UpdateMethod
  TaskState approve(String comment, BigDecimal budgetUsd);

  @UpdateValidatorMethod(updateName = "approve")
  void validateApprove(String comment, BigDecimal budgetUsd);

  /** Rejects the gate the task waits at; the task ends REJECTED (status AWAITING_APPROVAL). */
  @UpdateMethod
  TaskState reject(String comment);

  @UpdateValidatorMethod(updateName = "reject")
  void validateReject(String comment);

  /**
   * Approves through a one-tap link: like {@link #approve} without a budget, but only while the
   * task still waits at approval gate number {@code gate} (gates are numbered from 1 as the task
   * opens them), so a link dies with its gate. Refused at the budget gate, which needs an amount.
   */
  @UpdateMethod
  TaskState approveGate(int gate, String comment);

  @UpdateValidatorMethod(updateName = "approveGate")
  void validateApproveGate(int gate, String comment);

  /**
   * Rejects through a one-tap link, only while the task still waits at gate number {@code gate}.
   */
  @UpdateMethod
  TaskState rejectGate(int gate, String comment);

  @UpdateValidatorMethod(updateName = "rejectGate")
  void validateRejectGate(int gate, String comment);

  /** Cancels the task in any non-terminal status, killing a running agent; ends CANCELLED. */
  @UpdateMethod
  TaskState cancel(String reason);

  @UpdateValidatorMethod(updateName = "cancel")
  void validateCancel(String reason);

  /** Holds a scheduled task until {@link #resume()} (status SCHEDULED). */
  @UpdateMethod
  TaskState pause();

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause();

  /** Lets a paused task wait for its slot again (status PAUSED). */
  @UpdateMethod
  TaskState resume();

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume();

  /** Starts a waiting task now instead of at its slot (status SCHEDULED or PAUSED). */
  @UpdateMethod
  TaskState runNow();

  @UpdateValidatorMethod(updateName = "runNow")
  void validateRunNow();

  /** Moves a waiting task's slot (status SCHEDULED or PAUSED). */
  @UpdateMethod
  TaskState reschedule(Instant notBefore);

  @UpdateValidatorMethod(updateName = "reschedule")
  void validateReschedule(Instant notBefore);

  /**
   * Plans a waiting task again (status SCHEDULED or PAUSED), for example after the owner's standing
   * context changed; fields the user fixed stay as they are.
   */
  @UpdateMethod
  TaskState replan();

  @UpdateValidatorMethod(updateName = "replan")
  void validateReplan();

  /** Sets the priority (0..10) of a task that has not finished; it wins over the plan's. */
  @UpdateMethod
  TaskState setPriority(int priority);

  @UpdateValidatorMethod(updateName = "setPriority")
  void validateSetPriority(int priority);

  /** Answers the agent's question (status WAITING_FOR_INPUT); the answer continues its session. */
  @UpdateMethod
  TaskState provideInput(String text);

  @UpdateValidatorMethod(updateName = "provideInput")
  void validateProvideInput(String text);
}
