package dev.taskpilot.workflows.client;

import dev.taskpilot.workflows.TaskQueues;
import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.task.TaskInput;
import dev.taskpilot.workflows.task.TaskWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/**
 * Starting a task's workflow, the one way the API and the schedules both do it: workflow id = task
 * id, never reused, the title as memo and summary for the Temporal Web UI. Client code, not
 * workflow code.
 */
public final class TaskStarts {
  private TaskStarts() {}

  /**
   * Starts the task's workflow. False when it was started already, which callers treat as success;
   * any other engine failure is thrown.
   */
  public static boolean start(WorkflowClient client, TaskInput input) {
    WorkflowOptions options =
        StartOnce.options(
            WorkflowIds.task(input.taskId()),
            TaskQueues.WORKFLOWS,
            "title",
            input.title(),
            input.title());
    return StartOnce.start(client.newWorkflowStub(TaskWorkflow.class, options)::run, input);
  }
}
