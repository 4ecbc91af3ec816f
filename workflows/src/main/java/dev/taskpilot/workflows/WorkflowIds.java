package dev.taskpilot.workflows;

/** The one place that turns business ids into workflow ids. */
public final class WorkflowIds {
  private WorkflowIds() {}

  /** The workflow id of a task: the task id itself, so the Web UI and the API name it alike. */
  public static String task(String taskId) {
    return taskId;
  }
}
