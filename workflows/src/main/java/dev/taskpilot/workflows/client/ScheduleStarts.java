package dev.taskpilot.workflows.client;

import dev.taskpilot.workflows.schedule.ScheduleIds;
import dev.taskpilot.workflows.schedule.ScheduleInput;
import dev.taskpilot.workflows.schedule.ScheduleWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.Map;

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
        WorkflowOptions.newBuilder()
            .setWorkflowId(ScheduleIds.workflow(input.scheduleId()))
            .setTaskQueue(ScheduleWorkflow.TASK_QUEUE)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setMemo(Map.of("name", name))
            .setStaticSummary(
                name + ": " + input.spec().cron() + " (" + input.spec().timeZone() + ")")
            .build();
    try {
      WorkflowClient.start(client.newWorkflowStub(ScheduleWorkflow.class, options)::run, input);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }
}
