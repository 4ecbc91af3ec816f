package dev.taskpilot.app;

import dev.taskpilot.activities.agent.profile.AgentProfile;
import dev.taskpilot.activities.agent.profile.AgentProfiles;
import dev.taskpilot.activities.agent.workspace.WorkspaceNotFoundException;
import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.activities.worktree.Worktrees;
import dev.taskpilot.api.tasks.TaskReferences;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Answers the API's questions from the agent profiles and workspaces the workers use. */
@Singleton
class ConfiguredTaskReferences implements TaskReferences {
  private final AgentProfiles profiles;
  private final Workspaces workspaces;
  private final String defaultAgent;

  ConfiguredTaskReferences(
      AgentProfiles profiles,
      Workspaces workspaces,
      @Value("${taskpilot.agent.default:example}") String defaultAgent) {
    this.profiles = profiles;
    this.workspaces = workspaces;
    this.defaultAgent = defaultAgent;
  }

  @Override
  public String defaultAgent() {
    return defaultAgent;
  }

  @Override
  public Set<String> agentNames() {
    return new LinkedHashSet<>(profiles.names());
  }

  @Override
  public Duration defaultTimeout(String agent) {
    return profiles.find(agent).map(AgentProfile::timeout).orElse(Duration.ofMinutes(30));
  }

  @Override
  public Optional<String> workspaceProblem(String workspace) {
    try {
      workspaces.resolve(workspace, null);
      return Optional.empty();
    } catch (WorkspaceNotFoundException e) {
      return Optional.of(e.getMessage());
    }
  }

  @Override
  public boolean isGitWorkspace(String workspace) {
    try {
      return Worktrees.isRepository(workspaces.resolve(workspace, null));
    } catch (WorkspaceNotFoundException e) {
      return false;
    }
  }
}
