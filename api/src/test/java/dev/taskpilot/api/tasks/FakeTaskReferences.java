package dev.taskpilot.api.tasks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Task references for tests: agents with their default timeouts, and workspaces that are plain
 * directories or git repositories; any other workspace name is refused with a problem sentence.
 */
final class FakeTaskReferences implements TaskReferences {

  private final String defaultAgent;
  private final Map<String, Duration> agents = new LinkedHashMap<>();
  private final Map<String, Boolean> workspaces = new LinkedHashMap<>();

  FakeTaskReferences(String defaultAgent, Duration defaultTimeout) {
    this.defaultAgent = defaultAgent;
    agents.put(defaultAgent, defaultTimeout);
  }

  FakeTaskReferences agent(String name, Duration timeout) {
    agents.put(name, timeout);
    return this;
  }

  FakeTaskReferences plainWorkspace(String name) {
    workspaces.put(name, false);
    return this;
  }

  FakeTaskReferences gitWorkspace(String name) {
    workspaces.put(name, true);
    return this;
  }

  @Override
  public String defaultAgent() {
    return defaultAgent;
  }

  @Override
  public Set<String> agentNames() {
    return agents.keySet();
  }

  @Override
  public Duration defaultTimeout(String agent) {
    Duration timeout = agents.get(agent);
    if (timeout == null) {
      throw new IllegalArgumentException("the mapper asked for the timeout of unknown " + agent);
    }
    return timeout;
  }

  @Override
  public Optional<String> workspaceProblem(String workspace) {
    return workspaces.containsKey(workspace)
        ? Optional.empty()
        : Optional.of("workspace '" + workspace + "' does not exist under the workspace root");
  }

  @Override
  public boolean isGitWorkspace(String workspace) {
    return workspaces.getOrDefault(workspace, false);
  }
}
