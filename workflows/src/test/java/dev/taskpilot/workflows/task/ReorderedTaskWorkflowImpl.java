package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import dev.taskpilot.workflows.activities.planning.PlanningActivities;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import dev.taskpilot.workflows.activities.projection.ProjectionActivities;
import io.temporal.workflow.Workflow;
import java.time.Instant;

/**
 * A deliberately incompatible "Task" workflow: it plans before writing the PLANNING state, the
 * reverse of {@link TaskWorkflowImpl}, so replaying a stored history must fail.
 */
public class ReorderedTaskWorkflowImpl implements TaskWorkflow {
  private final PlanningActivities planning =
      Workflow.newActivityStub(PlanningActivities.class, ActivityDefaults.PLAN);
  private final ProjectionActivities projection =
      Workflow.newActivityStub(ProjectionActivities.class, ActivityDefaults.PROJECTION);
  private TaskState state;

  @Override
  public TaskState run(TaskInput input) {
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    TaskPlan plan =
        planning.plan(
            new PlanRequest(
                input.taskId(),
                input.owner(),
                input.title(),
                input.prompt(),
                input.context(),
                input.priority(),
                input.notBefore(),
                input.approval().beforeRun(),
                now));
    state =
        new TaskState(
            input.taskId(),
            1,
            TaskStatus.PLANNING,
            null,
            plan.priority(),
            plan.start(),
            plan,
            null,
            null,
            null,
            null,
            now);
    projection.record(state);
    return state;
  }

  @Override
  public void slotGranted(int claim) {}

  @Override
  public TaskState state() {
    return state;
  }

  @Override
  public TaskState approve(String comment, java.math.BigDecimal budgetUsd) {
    return state;
  }

  @Override
  public void validateApprove(String comment, java.math.BigDecimal budgetUsd) {}

  @Override
  public TaskState reject(String comment) {
    return state;
  }

  @Override
  public void validateReject(String comment) {}

  @Override
  public TaskState approveGate(int gate, String comment) {
    return state;
  }

  @Override
  public void validateApproveGate(int gate, String comment) {}

  @Override
  public TaskState rejectGate(int gate, String comment) {
    return state;
  }

  @Override
  public void validateRejectGate(int gate, String comment) {}

  @Override
  public TaskState cancel(String reason) {
    return state;
  }

  @Override
  public void validateCancel(String reason) {}

  @Override
  public TaskState pause() {
    return state;
  }

  @Override
  public void validatePause() {}

  @Override
  public TaskState resume() {
    return state;
  }

  @Override
  public void validateResume() {}

  @Override
  public TaskState runNow() {
    return state;
  }

  @Override
  public void validateRunNow() {}

  @Override
  public TaskState reschedule(Instant notBefore) {
    return state;
  }

  @Override
  public void validateReschedule(Instant notBefore) {}

  @Override
  public TaskState setPriority(int priority) {
    return state;
  }

  @Override
  public void validateSetPriority(int priority) {}

  @Override
  public TaskState replan() {
    return state;
  }

  @Override
  public void validateReplan() {}

  @Override
  public TaskState provideInput(String text) {
    return state;
  }

  @Override
  public void validateProvideInput(String text) {}
}
