package dev.taskpilot.activities.agent;

import dev.taskpilot.activities.agent.format.AgentOutputFormat;
import dev.taskpilot.activities.agent.format.SessionIds;
import dev.taskpilot.activities.agent.process.AgentEnvironment;
import dev.taskpilot.activities.agent.process.AgentProcessResult;
import dev.taskpilot.activities.agent.process.AgentProcessRunner;
import dev.taskpilot.activities.agent.process.AgentProcessSpec;
import dev.taskpilot.activities.agent.process.RunOutcome.Cancelled;
import dev.taskpilot.activities.agent.process.RunOutcome.Exited;
import dev.taskpilot.activities.agent.process.RunOutcome.Stalled;
import dev.taskpilot.activities.agent.process.RunOutcome.StartFailed;
import dev.taskpilot.activities.agent.process.RunOutcome.TimedOut;
import dev.taskpilot.activities.agent.profile.AgentProfile;
import dev.taskpilot.activities.agent.profile.AgentProfiles;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.agent.workspace.WorkspaceNotFoundException;
import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.activities.output.OutputLine;
import dev.taskpilot.activities.slots.WorkerIdentityInterceptor;
import dev.taskpilot.activities.worktree.UntrustedGitException;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.activities.agent.AgentActivities;
import dev.taskpilot.workflows.activities.agent.AgentOutcome;
import dev.taskpilot.workflows.activities.agent.AgentRunRequest;
import dev.taskpilot.workflows.activities.agent.AgentRunResult;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs the task's agent profile in its workspace (or its git worktree), heartbeating with progress
 * and the agent's session id; cancellation arrives through the heartbeat, which then throws, and
 * the runner kills the process tree. A retried attempt continues the session the previous attempt
 * started, when the profile can resume one.
 */
@Singleton
public class AgentActivitiesImpl implements AgentActivities {
  static final String CONTINUE_PROMPT = "Continue where you left off.";

  private final AgentProfiles profiles;
  private final Workspaces workspaces;
  private final AgentProcessRunner runner;
  private final Map<String, String> serverEnvironment;
  private final AgentRunCollaborators collaborators;
  private final MeterRegistry meters;

  @Inject
  public AgentActivitiesImpl(
      AgentProfiles profiles,
      Workspaces workspaces,
      AgentProcessRunner runner,
      AgentRunCollaborators collaborators,
      MeterRegistry meters) {
    this(profiles, workspaces, runner, System.getenv(), collaborators, meters);
  }

  AgentActivitiesImpl(
      AgentProfiles profiles,
      Workspaces workspaces,
      AgentProcessRunner runner,
      Map<String, String> serverEnvironment,
      AgentRunCollaborators collaborators,
      MeterRegistry meters) {
    this.profiles = profiles;
    this.workspaces = workspaces;
    this.runner = runner;
    this.serverEnvironment = Map.copyOf(serverEnvironment);
    this.collaborators = collaborators;
    this.meters = meters;
  }

  /**
   * Runs the agent and measures the attempt: {@code taskpilot.agent.runs} (a timer) by profile and
   * outcome ({@link AgentOutcome} or FAILED when the attempt threw), {@code taskpilot.agent.cost}
   * (USD) by profile. An agent name that is no configured profile is tagged "unknown".
   */
  @Override
  public AgentRunResult run(AgentRunRequest request) {
    String profile = profiles.find(request.agent()).isPresent() ? request.agent() : "unknown";
    long started = System.nanoTime();
    String outcome = "FAILED";
    try {
      AgentRunResult result = runAttempt(request);
      if (result.outcome() != null) {
        outcome = result.outcome().name();
      }
      if (result.costUsd() != null) {
        DistributionSummary.builder("taskpilot.agent.cost")
            .description("Agent run cost in USD by profile")
            .baseUnit("usd")
            .tag("profile", profile)
            .register(meters)
            .record(result.costUsd().doubleValue());
      }
      return result;
    } finally {
      Timer.builder("taskpilot.agent.runs")
          .description("Agent run attempts by profile and outcome")
          .tags("profile", profile, "outcome", outcome)
          .register(meters)
          .record(Duration.ofNanos(System.nanoTime() - started));
    }
  }

  private AgentRunResult runAttempt(AgentRunRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    // The server counts attempts from 1; the test environment reports 0.
    int attempt = Math.max(1, context.getInfo().getAttempt());
    // A retry after a dead worker renews the slot at once, before its lease runs out and it is
    // granted to another task (the retry comes after the 30 s heartbeat timeout; the lease is 60
    // s).
    // The renewals also record this worker as the slot's holder (the fleet view).
    SlotLease lease =
        new SlotLease(collaborators.slots(), request.taskId(), WorkerIdentityInterceptor.current());
    lease.renew();
    // Before the run has its own: keep what the previous attempt said (its session) alive.
    AgentHeartbeat previous = context.getHeartbeatDetails(AgentHeartbeat.class).orElse(null);
    Runnable beatBeforeRun = () -> context.heartbeat(previous);
    AgentProfile profile =
        profiles
            .find(request.agent())
            .orElseThrow(
                () ->
                    failure(
                        ErrorType.UNKNOWN_AGENT,
                        "agent profile '" + request.agent() + "' is not configured"));
    Path workspace = prepare(request);
    String sessionId = request.resumeSessionId();
    String prompt = request.instructions();
    if (sessionId == null && attempt > 1) {
      // The previous attempt died or stalled: go on with its session rather than start over.
      sessionId = previous == null ? null : previous.sessionId();
      if (sessionId != null) {
        prompt = CONTINUE_PROMPT;
      }
    }
    if (!profile.canResume()) {
      sessionId = null;
    }
    if (sessionId != null && !SessionIds.isValid(sessionId)) {
      throw failure(
          ErrorType.AGENT_START_FAILED,
          "the session to continue has an id that is not one ("
              + SessionIds.SHAPE
              + "); it was not passed to agent '"
              + profile.name()
              + "'");
    }
    if (profile.prompt() == PromptMode.ARGUMENT
        && !profile.separatePrompt()
        && prompt != null
        && prompt.startsWith("-")) {
      throw failure(
          ErrorType.AGENT_START_FAILED,
          "the prompt starts with '-', and agent '"
              + profile.name()
              + "' takes it as an argument without '--' before it (separate-prompt: false), so"
              + " it could read it as an option; the agent was not started");
    }
    AgentRunWatch watch =
        new AgentRunWatch(
            AgentOutputFormat.forName(profile.format()),
            request.budgetUsd(),
            spentBefore(request, beatBeforeRun),
            profile.authFailureLimit());
    if (watch.overBudget()) {
      return AgentRunOutcomes.budgetExceededBeforeStart(attempt, sessionId);
    }
    Duration timeout = request.timeout() != null ? request.timeout() : profile.timeout();
    AgentProcessSpec spec =
        new AgentProcessSpec(
                request.taskId(),
                attempt,
                command(profile, sessionId),
                profile.prompt(),
                prompt,
                workspace,
                AgentEnvironment.of(serverEnvironment, profile.env(), request.taskId(), workspace),
                timeout)
            .withProfile(profile);
    AgentProcessResult result;
    AtomicReference<String> remembered = new AtomicReference<>();
    Consumer<List<OutputLine>> listener =
        batch -> {
          if (watch.accept(batch)) {
            // Record the new session id at once, so a retry after a crash can continue it, and so
            // can a task restarted from PostgreSQL.
            AgentHeartbeat seen = watch.heartbeat();
            if (seen.sessionId() != null
                && !seen.sessionId().equals(remembered.getAndSet(seen.sessionId()))) {
              collaborators.rememberSession(request.taskId(), seen.sessionId());
            }
            try {
              context.heartbeat(seen);
            } catch (RuntimeException e) {
              // Cancellation surfaces on the activity's own heartbeat; nothing to do here.
            }
          }
        };
    try (AutoCloseable listening = collaborators.output().listen(request.taskId(), listener)) {
      result =
          runner.run(
              spec,
              () -> watch.stop() != null || lease.lost(),
              progress -> {
                context.heartbeat(watch.heartbeat(progress));
                lease.renew();
              });
    } catch (Exception e) {
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
    Runnable beat = () -> context.heartbeat(watch.heartbeat());
    AgentRunResult answer =
        switch (result.outcome()) {
          case Exited(int code) ->
              AgentRunOutcomes.of(profile, attempt, code, result, watch, sessionId);
          case Cancelled(String reason) when reason.equals(AgentProcessRunner.HANDED_OVER) -> {
            collaborators.note(
                request.taskId(),
                attempt,
                "[taskpilot] HANDED OVER: its worker stopped; the run goes on on another worker",
                beat);
            yield AgentRunOutcomes.handedOver(attempt, result, watch, sessionId);
          }
          case Cancelled(String reason) when watch.stop() == null && lease.lost() -> {
            collaborators.note(
                request.taskId(),
                attempt,
                "[taskpilot] SLOT LEASE LOST: PostgreSQL could not be reached to renew the agent"
                    + " slot, so the agent was stopped before another run could be given its"
                    + " workspace; the run goes on once it holds its slot again",
                beat);
            yield AgentRunOutcomes.handedOver(attempt, result, watch, sessionId);
          }
          case Cancelled(String reason) when watch.stop() != null ->
              AgentRunOutcomes.stopped(profile, attempt, result, watch, sessionId);
          case TimedOut(Duration after) ->
              throw failure(
                  ErrorType.AGENT_TIMEOUT,
                  "agent '" + profile.name() + "' ran longer than " + after + " and was killed");
          case Stalled(Duration silentFor) -> {
            collaborators.note(
                request.taskId(),
                attempt,
                "[taskpilot] STALLED: no output for "
                    + silentFor
                    + "; the process tree was killed and the run is retried",
                beat);
            // Retryable: the next attempt continues the session from the heartbeat details.
            throw ApplicationFailure.newFailure(
                "agent '"
                    + profile.name()
                    + "' printed nothing for "
                    + silentFor
                    + " and was killed",
                ErrorType.AGENT_STALLED.name());
          }
          case StartFailed(String message) -> throw failure(ErrorType.AGENT_START_FAILED, message);
          // Interruption or worker shutdown: another attempt, perhaps on another worker, may
          // finish.
          case Cancelled(String reason) ->
              throw new IllegalStateException("agent run ended early: " + reason);
        };
    return collaborators.withTaskLines(answer, request.taskId(), beat);
  }

  private java.math.BigDecimal spentBefore(AgentRunRequest request, Runnable beat) {
    java.math.BigDecimal agent =
        request.spentUsd() == null ? java.math.BigDecimal.ZERO : request.spentUsd();
    return request.budgetUsd() == null
        ? agent
        : agent.add(collaborators.llmCost(request.taskId(), beat));
  }

  /**
   * The profile's command, with its resume arguments when a session goes on (the id checked), and
   * {@code --} last when the prompt follows as an argument.
   */
  static List<String> command(AgentProfile profile, String sessionId) {
    List<String> command = new ArrayList<>(profile.command());
    if (sessionId != null) {
      if (!SessionIds.isValid(sessionId)) {
        throw new IllegalArgumentException("not a session id: " + sessionId);
      }
      profile.resumeArgs().forEach(arg -> command.add(arg.replace("{sessionId}", sessionId)));
    }
    if (profile.prompt() == PromptMode.ARGUMENT && profile.separatePrompt()) {
      command.add(AgentProcessSpec.END_OF_OPTIONS);
    }
    return command;
  }

  /** The directory the agent runs in: the workspace, or the task's worktree of it. */
  private Path prepare(AgentRunRequest request) {
    Path workspace = workspace(request);
    try {
      return collaborators.worktrees().prepare(workspace, request.taskId());
    } catch (UntrustedGitException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), ErrorType.UNKNOWN_WORKSPACE.name(), e);
    }
  }

  private Path workspace(AgentRunRequest request) {
    try {
      return workspaces.resolve(request.workspace(), request.taskId());
    } catch (WorkspaceNotFoundException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage(), ErrorType.UNKNOWN_WORKSPACE.name(), e);
    }
  }

  static ApplicationFailure failure(ErrorType type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type.name());
  }
}
