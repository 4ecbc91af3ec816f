package dev.taskpilot.workflows.client;

import dev.taskpilot.workflows.schedule.ScheduleIds;
import dev.taskpilot.workflows.schedule.ScheduleInput;
import dev.taskpilot.workflows.schedule.ScheduleWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/**
 * Starting a schedule's workflow, as the API does on creation and dev recovery after an engine
 * restart: id {@code schedule-<id>}, never reused, the name as memo and the cron as summary for the
 * Temporal Web UI. Client code, not workflow code.
 */
public final class ScheduleStarts {
  private ScheduleStarts() {}

  /**
   * Starts the schedule's workflow. False when it was started already, which callers treat as
   * success; any other engine failure is thrown.
   */
  public static boolean start(WorkflowClient client, ScheduleInput input, String name) {
    WorkflowOptions options =
        StartOnce.options(
            ScheduleIds.workflow(input.scheduleId()),
            ScheduleWorkflow.TASK_QUEUE,
            "name",
            name,
            name + ": " + input.spec().cron() + " (" + input.spec().timeZone() + ")");
    return StartOnce.start(client.newWorkflowStub(ScheduleWorkflow.class, options)::run, input);
  }
}
