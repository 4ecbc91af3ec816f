package dev.taskpilot.activities.agent;

import dev.taskpilot.activities.agent.RunOutcome.Cancelled;
import dev.taskpilot.activities.agent.RunOutcome.Exited;
import dev.taskpilot.activities.agent.RunOutcome.StartFailed;
import dev.taskpilot.activities.agent.RunOutcome.TimedOut;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.activities.AgentActivities;
import dev.taskpilot.workflows.activities.AgentRunRequest;
import dev.taskpilot.workflows.activities.AgentRunResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs the task's agent profile in its workspace, heartbeating with progress; cancellation arrives
 * through the heartbeat, which then throws, and the runner kills the process tree.
 */
@Singleton
public class AgentActivitiesImpl implements AgentActivities {
  private final AgentProfiles profiles;
  private final Workspaces workspaces;
  private final AgentProcessRunner runner;
  private final Map<String, String> serverEnvironment;

  @Inject
  public AgentActivitiesImpl(
      AgentProfiles profiles, Workspaces workspaces, AgentProcessRunner runner) {
    this(profiles, workspaces, runner, System.getenv());
  }

  AgentActivitiesImpl(
      AgentProfiles profiles,
      Workspaces workspaces,
      AgentProcessRunner runner,
      Map<String, String> serverEnvironment) {
    this.profiles = profiles;
    this.workspaces = workspaces;
    this.runner = runner;
    this.serverEnvironment = Map.copyOf(serverEnvironment);
  }

  @Override
  public AgentRunResult run(AgentRunRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // The server counts attempts from 1; the test environment reports 0.
    int attempt = Math.max(1, context.getInfo().getAttempt());
    AgentProfile profile =
        profiles
            .find(request.agent())
            .orElseThrow(
                () ->
                    failure(
                        ErrorType.UNKNOWN_AGENT,
                        "agent profile '" + request.agent() + "' is not configured"));
    Path workspace = workspace(request);
    Duration timeout = request.timeout() != null ? request.timeout() : profile.timeout();
    AgentProcessSpec spec =
        new AgentProcessSpec(
            request.taskId(),
            attempt,
            profile.command(),
            profile.prompt(),
            request.instructions(),
            workspace,
            AgentEnvironment.of(serverEnvironment, profile.env(), request.taskId(), workspace),
            timeout);
    AgentProcessResult result = runner.run(spec, () -> false, context::heartbeat);
    return switch (result.outcome()) {
      case Exited(int code) when code == 0 ->
          new AgentRunResult(
              attempt,
              code,
              result.startedAt(),
              result.endedAt(),
              result.lines(),
              result.tail(),
              null,
              null);
      case Exited(int code) ->
          throw failure(
              ErrorType.AGENT_FAILED,
              "agent '" + profile.name() + "' exited with code " + code + lastLine(result));
      case TimedOut(Duration after) ->
          throw failure(
              ErrorType.AGENT_TIMEOUT,
              "agent '" + profile.name() + "' ran longer than " + after + " and was killed");
      case StartFailed(String message) -> throw failure(ErrorType.AGENT_START_FAILED, message);
      // Interruption or worker shutdown: another attempt, perhaps on another worker, may finish.
      case Cancelled(String reason) ->
          throw new IllegalStateException("agent run ended early: " + reason);
    };
  }

  private Path workspace(AgentRunRequest request) {
    try {
      return workspaces.resolve(request.workspace(), request.taskId());
    } catch (WorkspaceNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), ErrorType.UNKNOWN_WORKSPACE.name(), e);
    }
  }

  private static String lastLine(AgentProcessResult result) {
    String line = result.lastLine();
    if (line.isBlank()) {
      return "";
    }
    return ": " + (line.length() > 500 ? line.substring(0, 500) + "..." : line);
  }

  private static ApplicationFailure failure(ErrorType type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type.name());
  }
}
