package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.activities.projection.ProjectionActivities;
import io.temporal.workflow.Workflow;

/**
 * A task's projection writes: local activities, run by the worker that runs the workflow within its
 * workflow task, so a status change costs no round trip of its own; histories from before (version
 * {@code local-projection}) replay their writes as ordinary activities. Workflow code only.
 */
final class ProjectionWrites implements ProjectionActivities {
  private final ProjectionActivities remote =
      Workflow.newActivityStub(ProjectionActivities.class, ActivityDefaults.PROJECTION);
  private final ProjectionActivities local =
      Workflow.newLocalActivityStub(ProjectionActivities.class, ActivityDefaults.PROJECTION_LOCAL);
  private ProjectionActivities chosen;

  @Override
  public void record(TaskState state) {
    if (chosen == null) {
      chosen =
          Workflow.getVersion("local-projection", Workflow.DEFAULT_VERSION, 1) >= 1
              ? local
              : remote;
    }
    chosen.record(state);
  }
}
