package dev.taskpilot.activities.agent.workspace;

/** A workspace name that does not resolve to a directory inside the workspaces root. */
public class WorkspaceNotFoundException extends RuntimeException {

  public WorkspaceNotFoundException(String message) {
    super(message);
  }
}
