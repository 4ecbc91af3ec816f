package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.agent.profile.AgentProfile;
import dev.taskpilot.activities.agent.profile.AgentSandbox;
import dev.taskpilot.activities.agent.profile.AllowedHosts;
import dev.taskpilot.activities.agent.profile.PromptMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the runner starts.
 *
 * @param taskId the task the run belongs to; its output lines are numbered per task
 * @param attempt the activity attempt, stored with each output batch
 * @param command the program and its arguments, without the prompt; ends with {@code --} when an
 *     {@code argument} prompt starts with {@code -}, which is refused otherwise
 * @param promptMode how the prompt reaches the process
 * @param prompt the prompt; null is treated as empty
 * @param workingDirectory the resolved workspace
 * @param environment the complete environment of the process (see {@link AgentEnvironment})
 * @param timeout the longest the process may run
 * @param profile the name of the agent profile, for messages; null means the program's name
 * @param stallTimeout the longest the process may print nothing; null means the default, 10 min
 * @param sandbox how the process is confined; null means {@link AgentSandbox#NONE}, which only
 *     specs made without a profile get (a profile's default is {@link AgentSandbox#AUTO})
 * @param sandboxPaths absolute paths a sandboxed process sees read-only; null means none
 * @param allowedHosts the hosts a sandboxed process may reach through the proxy; null means none
 */
public record AgentProcessSpec(
    String taskId,
    int attempt,
    List<String> command,
    PromptMode promptMode,
    String prompt,
    Path workingDirectory,
    Map<String, String> environment,
    Duration timeout,
    String profile,
    Duration stallTimeout,
    AgentSandbox sandbox,
    List<Path> sandboxPaths,
    AllowedHosts allowedHosts) {
  /** The argument that ends a command's options, so that what follows is never one. */
  public static final String END_OF_OPTIONS = "--";

  /** Copies the collections, fills in defaults and checks the rest. */
  public AgentProcessSpec {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    prompt = prompt == null ? "" : prompt;
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command is empty");
    }
    if (promptMode == PromptMode.ARGUMENT
        && prompt.startsWith("-")
        && !command.getLast().equals(END_OF_OPTIONS)) {
      throw new IllegalArgumentException(
          "a prompt starting with '-' would be read as an option: it must follow '--'");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    profile = profile == null ? command.getFirst() : profile;
    stallTimeout = stallTimeout == null ? AgentProfile.DEFAULT_STALL_TIMEOUT : stallTimeout;
    if (stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException("stall timeout must be positive: " + stallTimeout);
    }
    sandbox = sandbox == null ? AgentSandbox.NONE : sandbox;
    sandboxPaths = sandboxPaths == null ? List.of() : List.copyOf(sandboxPaths);
    allowedHosts = allowedHosts == null ? AllowedHosts.NONE : allowedHosts;
  }

  /** A spec with the default stall timeout and no sandbox. */
  public AgentProcessSpec(
      String taskId,
      int attempt,
      List<String> command,
      PromptMode promptMode,
      String prompt,
      Path workingDirectory,
      Map<String, String> environment,
      Duration timeout) {
    this(
        taskId,
        attempt,
        command,
        promptMode,
        prompt,
        workingDirectory,
        environment,
        timeout,
        null,
        null,
        null,
        null,
        null);
  }

  /** This spec with the name, stall timeout and sandbox (paths, hosts) of {@code agent}. */
  public AgentProcessSpec withProfile(AgentProfile agent) {
    return new AgentProcessSpec(
        taskId,
        attempt,
        command,
        promptMode,
        prompt,
        workingDirectory,
        environment,
        timeout,
        agent.name(),
        agent.stallTimeout(),
        agent.sandbox(),
        agent.sandboxPaths().stream().map(Path::of).toList(),
        agent.hosts());
  }

  /** This spec with another stall timeout. */
  public AgentProcessSpec withStallTimeout(Duration stall) {
    return new AgentProcessSpec(
        taskId,
        attempt,
        command,
        promptMode,
        prompt,
        workingDirectory,
        environment,
        timeout,
        profile,
        stall,
        sandbox,
        sandboxPaths,
        allowedHosts);
  }
}
