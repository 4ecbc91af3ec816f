package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.Priority;
import dev.taskpilot.workflows.TaskStatus;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;

/**
 * The commands a task has received so far, and the checks that admit them: each {@code check...}
 * method is the body of one Update validator, so a refused command never reaches the workflow.
 */
final class TaskCommands {
  /** A human decision at an approval gate. */
  record Decision(boolean approved, String comment, BigDecimal budgetUsd) {}

  private long changes;
  private boolean cancelRequested;
  private String cancelReason;
  private boolean runNowRequested;
  private long runNows;
  private boolean priorityFixed;
  private boolean notBeforeFixed;
  private Decision decision;
  private String answer;

  /** The commands a continued run starts from: the fields the user fixed stay fixed. */
  void carryOn(TaskCarry carried) {
    if (carried != null) {
      priorityFixed = carried.priorityFixed();
      notBeforeFixed = carried.notBeforeFixed();
    }
  }

  long changes() {
    return changes;
  }

  void changed() {
    changes++;
  }

  boolean cancelRequested() {
    return cancelRequested;
  }

  String cancelReason() {
    return cancelReason;
  }

  void requestCancel(String reason) {
    cancelRequested = true;
    cancelReason = reason == null || reason.isBlank() ? "cancelled" : reason;
    changed();
  }

  boolean runNowRequested() {
    return runNowRequested;
  }

  /** How many run-now commands arrived; a wait for a slot applies each one. */
  long runNows() {
    return runNows;
  }

  void requestRunNow() {
    runNowRequested = true;
    runNows++;
    changed();
  }

  boolean priorityFixed() {
    return priorityFixed;
  }

  void fixPriority() {
    priorityFixed = true;
    changed();
  }

  boolean notBeforeFixed() {
    return notBeforeFixed;
  }

  void fixNotBefore() {
    notBeforeFixed = true;
    changed();
  }

  Decision decision() {
    return decision;
  }

  void openGate() {
    decision = null;
  }

  void decide(boolean approved, String comment) {
    decide(approved, comment, null);
  }

  void decide(boolean approved, String comment, BigDecimal budgetUsd) {
    decision = new Decision(approved, comment, budgetUsd);
    changed();
  }

  String answer() {
    return answer;
  }

  /** A new question is open: the previous answer is used up. */
  void askQuestion() {
    answer = null;
  }

  void answer(String text) {
    answer = text;
    changed();
  }

  // ---- the checks of the Update validators ----

  void checkApprove(TaskProgress task, BigDecimal budgetUsd) {
    requireStatus(task.status, "approve", TaskStatus.AWAITING_APPROVAL);
    if (task.gate == ApprovalGate.BUDGET
        && (budgetUsd == null || budgetUsd.compareTo(task.budgetSpent) <= 0)) {
      throw invalidArgument(
          "approving more budget needs a budgetUsd above the " + task.budgetSpent + " USD spent");
    }
  }

  void checkReject(TaskProgress task) {
    requireStatus(task.status, "reject", TaskStatus.AWAITING_APPROVAL);
  }

  /** A one-tap link approves only the gate it names, and never the budget gate. */
  void checkApproveGate(TaskProgress task, int number) {
    requireOpenGate(task, number, "approve");
    if (task.gate == ApprovalGate.BUDGET) {
      throw invalidState("approve through a link", task.status);
    }
  }

  void checkRejectGate(TaskProgress task, int number) {
    requireOpenGate(task, number, "reject");
  }

  private void requireOpenGate(TaskProgress task, int number, String command) {
    requireStatus(task.status, command, TaskStatus.AWAITING_APPROVAL);
    if (number != task.gateNumber || decision != null) {
      throw invalidArgument("approval gate " + number + " is closed");
    }
  }

  /** Publishing is the step that cannot be taken back: once it started, the task finishes. */
  static void checkCancel(TaskProgress task) {
    if (task.status.isTerminal() || task.status == TaskStatus.PUBLISHING) {
      throw invalidState("cancel", task.status);
    }
  }

  static void checkPause(TaskProgress task) {
    requireStatus(task.status, "pause", TaskStatus.SCHEDULED);
  }

  static void checkResume(TaskProgress task) {
    requireStatus(task.status, "resume", TaskStatus.PAUSED);
  }

  static void checkRunNow(TaskProgress task) {
    requireStatus(task.status, "run-now", TaskStatus.SCHEDULED, TaskStatus.PAUSED);
  }

  static void checkReschedule(TaskProgress task, Instant notBefore) {
    requireStatus(task.status, "reschedule", TaskStatus.SCHEDULED, TaskStatus.PAUSED);
    if (notBefore == null) {
      throw invalidArgument("notBefore is required");
    }
  }

  static void checkReplan(TaskProgress task) {
    requireStatus(task.status, "replan", TaskStatus.SCHEDULED, TaskStatus.PAUSED);
  }

  static void checkSetPriority(TaskProgress task, int priority) {
    if (task.status.isTerminal()) {
      throw invalidState("priority", task.status);
    }
    requirePriority(priority);
  }

  static void checkProvideInput(TaskProgress task) {
    requireStatus(task.status, "input", TaskStatus.WAITING_FOR_INPUT);
  }

  static void requireStatus(TaskStatus actual, String command, TaskStatus... allowed) {
    if (!Arrays.asList(allowed).contains(actual)) {
      throw invalidState(command, actual);
    }
  }

  static void requirePriority(int priority) {
    if (!Priority.isValid(priority)) {
      throw invalidArgument(Priority.outOfRange(priority));
    }
  }

  static ApplicationFailure invalidState(String command, TaskStatus actual) {
    return ApplicationFailure.newNonRetryableFailure(
        command + " does not apply to a task in status " + actual, ErrorType.INVALID_STATE.name());
  }

  static ApplicationFailure invalidArgument(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorType.VALIDATION_FAILED.name());
  }
}
