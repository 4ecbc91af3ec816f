package dev.taskpilot.activities.planning;

import dev.taskpilot.workflows.activities.PlanRequest;
import dev.taskpilot.workflows.activities.PlanningActivities;
import dev.taskpilot.workflows.activities.TaskPlan;
import jakarta.inject.Singleton;

/**
 * Planning through the fallback planner; an LLM planner takes this place when one is configured.
 */
@Singleton
public class PlanningActivitiesImpl implements PlanningActivities {
  private final FallbackPlanner fallback = new FallbackPlanner();

  @Override
  public TaskPlan plan(PlanRequest request) {
    return fallback.plan(request);
  }
}
