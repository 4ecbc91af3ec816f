package dev.taskpilot.activities.agent.process;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The allow-listed environment of an agent process: a few basics, the profile's named variables,
 * and the task's identity. Nothing else of the server's environment (database passwords, API keys)
 * reaches the agent.
 */
public final class AgentEnvironment {
  /** Variables every agent gets when the server has them. */
  public static final List<String> BASICS = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "USER");

  /** The task id the agent runs for. */
  public static final String TASK_ID = "TASKPILOT_TASK_ID";

  /** The agent's working directory, absolute. */
  public static final String WORKSPACE = "TASKPILOT_WORKSPACE";

  private AgentEnvironment() {}

  /**
   * Builds the environment from {@code server} (normally {@link System#getenv()}).
   *
   * @param server the server's environment
   * @param allowed the profile's additional variable names
   * @param taskId the task id
   * @param workspace the working directory
   */
  public static Map<String, String> of(
      Map<String, String> server, List<String> allowed, String taskId, Path workspace) {
    Map<String, String> environment = new TreeMap<>();
    Stream.concat(BASICS.stream(), allowed.stream())
        .forEach(
            name -> {
              String value = server.get(name);
              if (value != null) {
                environment.put(name, value);
              }
            });
    environment.put(TASK_ID, taskId);
    environment.put(WORKSPACE, workspace.toString());
    return Collections.unmodifiableMap(environment);
  }
}
