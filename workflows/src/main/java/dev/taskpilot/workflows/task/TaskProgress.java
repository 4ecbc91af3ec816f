package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.Priority;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * How far a task has got: the state its workflow owns, changed by its steps and commands, and
 * written to the projection as a {@link TaskState} snapshot. Workflow code only.
 */
final class TaskProgress {
  private final String taskId;
  TaskStatus status = TaskStatus.PLANNING;
  String statusReason;
  int priority;
  Instant notBefore;
  TaskPlan plan;
  // The gate the task waits at, and the number of the gate opened last (from 1; links name it).
  ApprovalGate gate;
  int gateNumber;
  RunInfo run;
  ResultInfo result;
  // The agent's bounded result text, published as is; the state carries only its summary.
  String resultText;
  ErrorInfo error;
  BigDecimal budget;
  BigDecimal budgetSpent = BigDecimal.ZERO;

  TaskProgress(TaskInput input) {
    taskId = input.taskId();
    priority = input.priority() != null ? input.priority() : Priority.DEFAULT;
    notBefore = input.notBefore();
    budget = input.budgetUsd();
    TaskCarry carried = input.carried();
    if (carried != null) {
      status = carried.status();
      statusReason = carried.statusReason();
      priority = carried.priority();
      notBefore = carried.notBefore();
      plan = carried.plan();
      budget = carried.budget();
      gateNumber = carried.gateNumber();
      if (carried.resumed() != null) {
        run = carried.resumed().run();
        result = carried.resumed().result();
      }
    }
  }

  /** What a continued run needs to go on from {@code stage}. */
  TaskCarry carry(
      TaskCarry.Stage stage, TaskCommands commands, long projectionVersion, boolean slotFront) {
    return new TaskCarry(
        stage,
        status,
        statusReason,
        priority,
        notBefore,
        plan,
        budget,
        commands.priorityFixed(),
        commands.notBeforeFixed(),
        projectionVersion,
        gateNumber,
        slotFront);
  }

  /** Ends the run as far as it got, keeping its cost and session; no-op without an open run. */
  void endRunIfOpen(Instant at) {
    if (run != null && run.endedAt() == null) {
      run = run.endedAt(at);
    }
  }

  TaskState snapshot(long version, Instant at) {
    return new TaskState(
        taskId,
        version,
        status,
        statusReason,
        priority,
        notBefore,
        plan,
        gate,
        run,
        result,
        error,
        at);
  }
}
