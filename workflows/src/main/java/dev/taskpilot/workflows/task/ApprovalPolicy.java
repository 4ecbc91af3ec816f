package dev.taskpilot.workflows.task;

/**
 * The user's choice of approval gates; a null field is left to the plan (before the run) or off
 * (before publishing).
 */
public record ApprovalPolicy(Boolean beforeRun, Boolean beforePublish) {
  public static final ApprovalPolicy UNSET = new ApprovalPolicy(null, null);
}
