package dev.taskpilot.api.tasks;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What a task may refer to: the configured agent profiles and workspaces. The API only asks; the
 * runnable module answers with the same configuration the workers use.
 */
public interface TaskReferences {

  /** The agent a task gets when it names none. */
  String defaultAgent();

  /** The names of all configured agent profiles. */
  Set<String> agentNames();

  /** The run timeout of an agent profile, used when a task gives none. */
  Duration defaultTimeout(String agent);

  /** Why a workspace name is not acceptable, or empty when it resolves inside the root. */
  Optional<String> workspaceProblem(String workspace);

  /** Whether a workspace is a git repository, so a task on it can publish to a git target. */
  boolean isGitWorkspace(String workspace);
}
