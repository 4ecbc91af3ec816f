package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.activities.planning.PlanRequest;
import dev.taskpilot.workflows.activities.planning.PlanningActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * Plans a task: asks the planner, and when the planning activity fails for good (its retries ran
 * out, or it was refused) the deterministic fallback plans at once, so a dead LLM never stops a
 * task. Fields the user fixed, at creation or by a command, stay as they are. Workflow code only.
 */
final class TaskPlanner {
  private static final Logger log = Workflow.getLogger(TaskPlanner.class);
  private static final FallbackPlanner FALLBACK = new FallbackPlanner();

  private final PlanningActivities planning =
      Workflow.newActivityStub(PlanningActivities.class, ActivityDefaults.PLAN);
  private final TaskContext task;

  TaskPlanner(TaskContext task) {
    this.task = task;
  }

  void plan() {
    TaskInput input = task.input;
    TaskProgress progress = task.progress;
    boolean priorityFixed = task.commands.priorityFixed() || input.priority() != null;
    boolean startFixed = task.commands.notBeforeFixed() || input.notBefore() != null;
    PlanRequest request =
        new PlanRequest(
            input.taskId(),
            input.owner(),
            input.title(),
            input.prompt(),
            input.context(),
            priorityFixed ? progress.priority : null,
            startFixed ? progress.notBefore : null,
            input.approval().beforeRun(),
            TaskContext.now());
    try {
      progress.plan = planning.plan(request);
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure) {
        throw e;
      }
      log.warn(
          "planning task {} failed, using the fallback plan: {}", input.taskId(), e.getMessage());
      progress.plan = FALLBACK.plan(request, "the planner failed: " + failureMessage(e));
    }
    // A command may have fixed either while the planner thought.
    if (!task.commands.priorityFixed() && input.priority() == null) {
      progress.priority = progress.plan.priority();
    }
    if (!task.commands.notBeforeFixed() && input.notBefore() == null) {
      progress.notBefore = progress.plan.start();
    }
  }

  /** The failure's own message, without the activity wrapper's. */
  static String failureMessage(ActivityFailure failure) {
    return failure.getCause() instanceof TemporalFailure cause
        ? cause.getOriginalMessage()
        : failure.getMessage();
  }
}
