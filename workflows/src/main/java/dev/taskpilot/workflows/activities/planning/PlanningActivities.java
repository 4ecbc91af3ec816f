package dev.taskpilot.workflows.activities.planning;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Turns a submitted task into a plan. */
@ActivityInterface
public interface PlanningActivities {

  /**
   * Plans a task: priority, start slot, estimate, approval need and refined instructions. Fields
   * the user fixed in the request are kept as given. Idempotent: it only reads. Raises no permanent
   * failure; a planner that cannot reach its model answers with the fallback plan.
   */
  @ActivityMethod(name = "PlanTask")
  TaskPlan plan(PlanRequest request);
}
