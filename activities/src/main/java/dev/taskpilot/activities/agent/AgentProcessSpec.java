package dev.taskpilot.activities.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the runner starts.
 *
 * @param taskId the task the run belongs to; its output lines are numbered per task
 * @param attempt the activity attempt, stored with each output batch
 * @param command the program and its arguments, without the prompt
 * @param promptMode how the prompt reaches the process
 * @param prompt the prompt; null is treated as empty
 * @param workingDirectory the resolved workspace
 * @param environment the complete environment of the process (see {@link AgentEnvironment})
 * @param timeout the longest the process may run
 */
public record AgentProcessSpec(
    String taskId,
    int attempt,
    List<String> command,
    PromptMode promptMode,
    String prompt,
    Path workingDirectory,
    Map<String, String> environment,
    Duration timeout) {

  /** Copies the collections, fills in an empty prompt and checks the rest. */
  public AgentProcessSpec {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    prompt = prompt == null ? "" : prompt;
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command is empty");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }
}
