package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.Priority;
import dev.taskpilot.workflows.TaskStatus;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.util.Arrays;

/** The commands a task has received so far, and the checks that admit them. */
final class TaskCommands {
  /** A human decision at an approval gate. */
  record Decision(boolean approved, String comment, BigDecimal budgetUsd) {}

  private long changes;
  private boolean cancelRequested;
  private String cancelReason;
  private boolean runNowRequested;
  private boolean priorityFixed;
  private boolean notBeforeFixed;
  private Decision decision;
  private String answer;

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

  void requestRunNow() {
    runNowRequested = true;
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
