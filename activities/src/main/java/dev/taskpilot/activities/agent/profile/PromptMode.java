package dev.taskpilot.activities.agent.profile;

/** How an agent process receives its prompt. */
public enum PromptMode {
  /** The prompt is appended to the command as its last argument. */
  ARGUMENT,
  /** The prompt is written to the process's standard input, which is then closed. */
  STDIN
}
