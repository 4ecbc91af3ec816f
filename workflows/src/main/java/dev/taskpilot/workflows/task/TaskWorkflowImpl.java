package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.Priority;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.agent.AgentActivities;
import dev.taskpilot.workflows.activities.agent.AgentOutcome;
import dev.taskpilot.workflows.activities.agent.AgentRunRequest;
import dev.taskpilot.workflows.activities.agent.AgentRunResult;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyActivities;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import dev.taskpilot.workflows.activities.notify.TaskNotification;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import dev.taskpilot.workflows.activities.planning.PlanningActivities;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import dev.taskpilot.workflows.activities.projection.ProjectionActivities;
import dev.taskpilot.workflows.activities.publish.Publication;
import dev.taskpilot.workflows.activities.publish.PublishActivities;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import dev.taskpilot.workflows.activities.slots.SlotActivities;
import dev.taskpilot.workflows.activities.slots.SlotRequest;
import dev.taskpilot.workflows.activities.summary.SummaryActivities;
import dev.taskpilot.workflows.activities.summary.SummaryRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/** The task lifecycle of API.md on Temporal's deterministic APIs. */
public class TaskWorkflowImpl implements TaskWorkflow {
  private static final Logger log = Workflow.getLogger(TaskWorkflowImpl.class);
  private static final Logger notificationLog = Workflow.getLogger("taskpilot.notifications");
  private static final FallbackPlanner FALLBACK_PLANNER = new FallbackPlanner();
  static final String CONTINUE_PROMPT = "Continue where you left off.";
  static final String BUDGET_EXCEEDED = "BUDGET_EXCEEDED";
  private static final Duration DEFAULT_PARKING = Duration.ofHours(1);
  private static final Duration SLOT_QUIET_WAIT = Duration.ofSeconds(2);
  private static final Duration SLOT_WAIT_WINDOW = Duration.ofSeconds(5);
  private static final int MAX_REASON = 1000;

  private final PlanningActivities planning =
      Workflow.newActivityStub(PlanningActivities.class, ActivityDefaults.PLAN);
  private final SummaryActivities summaries =
      Workflow.newActivityStub(SummaryActivities.class, ActivityDefaults.SUMMARISE);
  private final PublishActivities publishing =
      Workflow.newActivityStub(PublishActivities.class, ActivityDefaults.PUBLISH);
  private final PublishActivities fileTargets =
      Workflow.newActivityStub(PublishActivities.class, ActivityDefaults.PUBLISH_FILE);
  private final PublishActivities webhookTargets =
      Workflow.newActivityStub(PublishActivities.class, ActivityDefaults.PUBLISH_WEBHOOK);
  private final PublishActivities gitTargets =
      Workflow.newActivityStub(PublishActivities.class, ActivityDefaults.PUBLISH_GIT);
  private final NotifyActivities notifying =
      Workflow.newActivityStub(NotifyActivities.class, ActivityDefaults.NOTIFY);
  private final NotifyActivities channelNotifying =
      Workflow.newActivityStub(NotifyActivities.class, ActivityDefaults.SEND_NOTIFICATION);
  private final SlotActivities slotWaits =
      Workflow.newActivityStub(SlotActivities.class, ActivityDefaults.SLOT_ACQUIRE);
  private final SlotActivities slotReleases =
      Workflow.newActivityStub(SlotActivities.class, ActivityDefaults.SLOT_RELEASE);
  private final ProjectionActivities projection =
      Workflow.newActivityStub(ProjectionActivities.class, ActivityDefaults.PROJECTION);

  private final TaskCommands commands = new TaskCommands();
  private TaskInput input;
  private TaskStatus status = TaskStatus.PLANNING;
  private String statusReason;
  private int priority = Priority.DEFAULT;
  private Instant notBefore;
  private TaskPlan plan;
  private ApprovalGate gate;
  // The number of the approval gate opened last, from 1; one-tap links name it.
  private int gateNumber;
  private RunInfo run;
  private ResultInfo result;
  // The agent's bounded result text, published as is; the state carries only its summary.
  private String resultText;
  private ErrorInfo error;
  private long version;
  private long recordedVersion;
  private CancellationScope agentScope;
  private Promise<AgentRunResult> agentRun;
  private BigDecimal budget;
  private BigDecimal budgetSpent = BigDecimal.ZERO;
  // Per-channel notifications in flight: the task never waits for them, only its workflow's end.
  private final List<Promise<Void>> notifications = new ArrayList<>();
  private boolean perChannelNotifications;

  @Override
  public TaskState run(TaskInput input) {
    this.input = input;
    if (input.priority() != null) {
      priority = input.priority();
    }
    notBefore = input.notBefore();
    budget = input.budgetUsd();
    perChannelNotifications =
        Workflow.getVersion("notify-per-channel", Workflow.DEFAULT_VERSION, 1) >= 1;
    try {
      record(TaskStatus.PLANNING, null);
      planTask();
      if (waitForSlot()
          && passGate(ApprovalGate.BEFORE_RUN, approvalBeforeRun())
          && runAgent()
          && passGate(ApprovalGate.BEFORE_PUBLISH, approvalBeforePublish())) {
        publish();
        finish(TaskStatus.SUCCEEDED, null, NotifyEvent.SUCCEEDED, "Task succeeded");
      }
    } catch (CanceledFailure e) {
      // The workflow itself was cancelled (for example from the Temporal Web UI).
      Workflow.newDetachedCancellationScope(() -> endCancelled("cancelled in Temporal")).run();
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure) {
        Workflow.newDetachedCancellationScope(() -> endCancelled("cancelled in Temporal")).run();
      } else {
        fail(e);
      }
    }
    awaitNotifications();
    Workflow.await(Workflow::isEveryHandlerFinished);
    return state();
  }

  /** Lets the notifications still being sent (or retried) finish before the workflow closes. */
  private void awaitNotifications() {
    for (Promise<Void> notification : notifications) {
      try {
        notification.get();
      } catch (TemporalFailure e) {
        // ActivityFailure, or CanceledFailure when the workflow itself was cancelled.
        // Recorded in the notification audit; a notification never fails the task.
        log.warn("a notification for task {} failed: {}", input.taskId(), e.getMessage());
      }
    }
  }

  /**
   * Asks the planner; when the planning activity fails for good (its retries ran out, or it was
   * refused), the deterministic fallback plans at once, so a dead LLM never stops a task.
   */
  private void planTask() {
    boolean priorityFixed = commands.priorityFixed() || input.priority() != null;
    boolean startFixed = commands.notBeforeFixed() || input.notBefore() != null;
    PlanRequest request =
        new PlanRequest(
            input.taskId(),
            input.owner(),
            input.title(),
            input.prompt(),
            input.context(),
            priorityFixed ? priority : null,
            startFixed ? notBefore : null,
            input.approval().beforeRun(),
            now());
    try {
      plan = planning.plan(request);
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure) {
        throw e;
      }
      log.warn(
          "planning task {} failed, using the fallback plan: {}", input.taskId(), e.getMessage());
      plan = FALLBACK_PLANNER.plan(request, "the planner failed: " + failureMessage(e));
    }
    // A command may have fixed either while the planner thought.
    if (!commands.priorityFixed() && input.priority() == null) {
      priority = plan.priority();
    }
    if (!commands.notBeforeFixed() && input.notBefore() == null) {
      notBefore = plan.start();
    }
  }

  private static String failureMessage(ActivityFailure failure) {
    return failure.getCause() instanceof TemporalFailure cause
        ? cause.getOriginalMessage()
        : failure.getMessage();
  }

  /** Waits for the slot, honouring pause, run-now, reschedule and cancel. False when cancelled. */
  private boolean waitForSlot() {
    if (commands.cancelRequested()) {
      endCancelled(commands.cancelReason());
      return false;
    }
    record(TaskStatus.SCHEDULED, null);
    while (true) {
      if (commands.cancelRequested()) {
        endCancelled(commands.cancelReason());
        return false;
      }
      // Run-now applies to a paused task too, so it is checked first and ends the pause.
      if (commands.runNowRequested()) {
        return true;
      }
      if (status == TaskStatus.PAUSED) {
        Workflow.await(
            () ->
                status != TaskStatus.PAUSED
                    || commands.cancelRequested()
                    || commands.runNowRequested());
        continue;
      }
      Duration wait = Duration.between(now(), notBefore);
      if (wait.isNegative() || wait.isZero()) {
        return true;
      }
      long seen = commands.changes();
      Workflow.await(wait, () -> commands.changes() != seen);
    }
  }

  /** Waits for a human decision when the gate is on. False when rejected or cancelled. */
  private boolean passGate(ApprovalGate candidate, boolean required) {
    if (commands.cancelRequested()) {
      endCancelled(commands.cancelReason());
      return false;
    }
    if (!required) {
      return true;
    }
    return awaitDecision(
        candidate,
        "approval " + candidate.name().toLowerCase(),
        "Approval needed " + gateWords(candidate));
  }

  /**
   * Waits at an approval gate for a human decision. False when rejected (the task ends REJECTED) or
   * cancelled; an approval that names a budget makes it the task's budget.
   */
  private boolean awaitDecision(ApprovalGate at, String reason, String message) {
    gate = at;
    gateNumber++;
    commands.openGate();
    record(TaskStatus.AWAITING_APPROVAL, reason);
    notifyPeople(NotifyEvent.AWAITING_APPROVAL, message);
    Workflow.await(() -> commands.decision() != null || commands.cancelRequested());
    gate = null;
    if (commands.cancelRequested()) {
      endCancelled(commands.cancelReason());
      return false;
    }
    if (!commands.decision().approved()) {
      finish(TaskStatus.REJECTED, commands.decision().comment(), NotifyEvent.REJECTED, "Rejected");
      return false;
    }
    if (commands.decision().budgetUsd() != null) {
      budget = commands.decision().budgetUsd();
    }
    return true;
  }

  /**
   * Runs the agent until it completes: a usage limit parks the task until the reset, a crossed
   * budget and a question wait for a human, and each then continues the agent's session. False when
   * the task ended on the way (cancelled or rejected).
   */
  private boolean runAgent() {
    run = new RunInfo(1, now(), null, null, null, null, 0);
    record(TaskStatus.RUNNING, null);
    String prompt = plan.instructions();
    String sessionId = null;
    BigDecimal spent = BigDecimal.ZERO;
    boolean firstRun = true;
    while (true) {
      if (commands.cancelRequested()) {
        endCancelled(commands.cancelReason());
        return false;
      }
      AgentRunResult done =
          runOnce(
              new AgentRunRequest(
                  input.taskId(),
                  input.agent(),
                  input.workspace(),
                  prompt,
                  input.timeout(),
                  sessionId,
                  budget,
                  spent));
      if (done == null) {
        return false;
      }
      if (done.costUsd() != null) {
        spent = spent.add(done.costUsd());
      }
      sessionId = done.sessionId() != null ? done.sessionId() : sessionId;
      // The run started when its first agent process did (after any wait for a slot).
      Instant startedAt = firstRun && done.startedAt() != null ? done.startedAt() : run.startedAt();
      firstRun = false;
      run =
          new RunInfo(
              done.attempt(),
              startedAt,
              done.endedAt(),
              done.exitCode(),
              done.costUsd() == null && spent.signum() == 0 ? null : spent,
              sessionId,
              done.outputLines());
      AgentOutcome outcome = done.outcomeOrCompleted();
      if (outcome == AgentOutcome.COMPLETED) {
        finishRun(done.resultText());
        return true;
      }
      String resume = sessionId != null ? CONTINUE_PROMPT : plan.instructions();
      String next =
          switch (outcome) {
            case PARKED -> park(done.parkedUntil()) ? resume : null;
            case BUDGET_EXCEEDED -> awaitMoreBudget(spent) ? resume : null;
            case QUESTION -> awaitAnswer(done.question());
            case COMPLETED -> throw new IllegalStateException("a completed run ends the loop");
          };
      if (next == null) {
        return false;
      }
      prompt = next;
      record(TaskStatus.RUNNING, null);
    }
  }

  /**
   * One run of the agent activity, holding a fleet-wide agent slot around it; null when cancelled.
   * Cancel reaches a running agent through {@link #cancel}, which cancels the run's scope only
   * while the activity is still pending (the embedded engine refuses to cancel a completed
   * activity).
   */
  private AgentRunResult runOnce(AgentRunRequest request) {
    // Histories from before agent slots existed replay without them.
    boolean slots = Workflow.getVersion("agent-slots", Workflow.DEFAULT_VERSION, 1) >= 1;
    if (slots && !acquireSlot()) {
      return null;
    }
    try {
      AgentActivities agent =
          Workflow.newActivityStub(
              AgentActivities.class,
              ActivityOptions.newBuilder(ActivityDefaults.AGENT)
                  .setStartToCloseTimeout(input.timeout().plus(ActivityDefaults.AGENT_GRACE))
                  .build());
      List<Promise<AgentRunResult>> started = new ArrayList<>();
      agentScope =
          Workflow.newCancellationScope(() -> started.add(Async.function(agent::run, request)));
      agentScope.run();
      agentRun = started.getFirst();
      try {
        return agentRun.get();
      } catch (ActivityFailure e) {
        if (commands.cancelRequested() && e.getCause() instanceof CanceledFailure) {
          endRunCancelled();
          return null;
        }
        throw e;
      } finally {
        agentRun = null;
        agentScope = null;
      }
    } finally {
      if (slots) {
        Workflow.newDetachedCancellationScope(() -> slotReleases.release(input.taskId())).run();
      }
    }
  }

  /**
   * Waits for an agent slot in short calls, so cancel never has to interrupt one; the task shows
   * SCHEDULED with the reason when the first call does not get the slot. False when cancelled.
   */
  private boolean acquireSlot() {
    boolean granted = slotWaits.acquire(slotClaim(SLOT_QUIET_WAIT));
    if (!granted) {
      record(TaskStatus.SCHEDULED, "waiting for a free slot of agent " + input.agent());
    }
    while (!granted && !commands.cancelRequested()) {
      granted = slotWaits.acquire(slotClaim(SLOT_WAIT_WINDOW));
    }
    if (commands.cancelRequested()) {
      endRunCancelled();
      return false;
    }
    if (status != TaskStatus.RUNNING) {
      record(TaskStatus.RUNNING, null);
    }
    return true;
  }

  private SlotRequest slotClaim(Duration maxWait) {
    return new SlotRequest(input.taskId(), input.agent(), input.workspace(), priority, maxWait);
  }

  private void endRunCancelled() {
    run =
        new RunInfo(
            run.attempt(),
            run.startedAt(),
            now(),
            null,
            run.costUsd(),
            run.sessionId(),
            run.outputLines());
    endCancelled(commands.cancelReason());
  }

  /** Parks the task until the provider's limit resets. False when cancelled meanwhile. */
  private boolean park(Instant until) {
    Instant resume = until == null ? now().plus(DEFAULT_PARKING) : until;
    record(TaskStatus.PARKED, "usage limit reached; resumes at " + resume);
    notifyPeople(NotifyEvent.PARKED, "The agent's usage limit was reached; resuming at " + resume);
    Duration wait = Duration.between(now(), resume);
    if (wait.isPositive()) {
      Workflow.await(wait, commands::cancelRequested);
    }
    if (commands.cancelRequested()) {
      endCancelled(commands.cancelReason());
      return false;
    }
    return true;
  }

  /** Waits for approval of a larger budget. False when rejected or cancelled. */
  private boolean awaitMoreBudget(BigDecimal spent) {
    budgetSpent = spent;
    return awaitDecision(
        ApprovalGate.BUDGET,
        BUDGET_EXCEEDED,
        "Budget of " + budget + " USD exceeded (spent " + spent + " USD); approve more to go on");
  }

  /** Waits for the human's answer to the agent's question; null when cancelled. */
  private String awaitAnswer(String question) {
    commands.askQuestion();
    String asked = question == null ? "" : question.strip();
    record(
        TaskStatus.WAITING_FOR_INPUT,
        asked.length() <= MAX_REASON ? asked : asked.substring(0, MAX_REASON));
    notifyPeople(NotifyEvent.WAITING_FOR_INPUT, "The agent asks: " + asked);
    Workflow.await(() -> commands.answer() != null || commands.cancelRequested());
    if (commands.cancelRequested()) {
      endCancelled(commands.cancelReason());
      return null;
    }
    return commands.answer();
  }

  /** Keeps the run's result and its summary. */
  private void finishRun(String text) {
    resultText = text;
    result = new ResultInfo(trimmed(resultText), List.of());
    // Histories from before the summariser existed replay without it.
    if (Workflow.getVersion("summarise-result", Workflow.DEFAULT_VERSION, 1) >= 1) {
      try {
        String summary =
            summaries.summarise(
                new SummaryRequest(
                    input.taskId(), input.owner(), input.title(), input.prompt(), resultText));
        if (summary != null && !summary.isBlank()) {
          result = new ResultInfo(trimmed(summary), List.of());
        }
      } catch (ActivityFailure e) {
        // The trimmed result text stands in for a summary nobody could write.
        log.warn("summarising task {} failed: {}", input.taskId(), e.getMessage());
      }
    }
  }

  private void publish() {
    record(TaskStatus.PUBLISHING, null);
    List<Publication> delivered = new ArrayList<>();
    boolean perType = Workflow.getVersion("publish-per-type", Workflow.DEFAULT_VERSION, 1) >= 1;
    for (PublishTarget target : input.publish()) {
      PublishRequest request =
          new PublishRequest(input.taskId(), input.title(), result.summary(), resultText, target);
      delivered.add(perType ? publishTo(request) : publishing.publish(request));
    }
    result = new ResultInfo(result.summary(), List.copyOf(delivered));
  }

  /** One target, through the activity type (and so the retry schedule) of its target type. */
  private Publication publishTo(PublishRequest request) {
    return switch (request.target()) {
      case PublishTarget.File file -> fileTargets.publishFile(request);
      case PublishTarget.Webhook webhook -> webhookTargets.publishWebhook(request);
      case PublishTarget.Git git -> gitTargets.publishGit(request);
    };
  }

  private void fail(ActivityFailure failure) {
    ErrorType code =
        failure.getCause() instanceof ApplicationFailure app
            ? ErrorType.fromFailureType(app.getType())
            : ErrorType.INTERNAL;
    String message = failureMessage(failure);
    log.warn("task {} failed: {} {}", input.taskId(), code, message);
    if (run != null && run.endedAt() == null) {
      run = new RunInfo(run.attempt(), run.startedAt(), now(), null, null, null, run.outputLines());
    }
    error = new ErrorInfo(code.name(), message);
    finish(TaskStatus.FAILED, code.name(), NotifyEvent.FAILED, "Task failed: " + message);
  }

  private void endCancelled(String reason) {
    finish(TaskStatus.CANCELLED, reason, NotifyEvent.CANCELLED, "Task cancelled");
  }

  private void finish(TaskStatus terminal, String reason, NotifyEvent event, String message) {
    record(terminal, reason);
    notifyPeople(event, message);
  }

  private void notifyPeople(NotifyEvent event, String message) {
    if (perChannelNotifications) {
      notifyChannels(event, message);
      return;
    }
    if (!input.notifyEvents().contains(event)) {
      return;
    }
    try {
      notifying.notify(new TaskNotification(input.taskId(), event, input.title(), message));
    } catch (ActivityFailure e) {
      // A notification never fails or holds up the task.
      log.warn("notification {} for task {} failed: {}", event, input.taskId(), e.getMessage());
    }
  }

  /**
   * Logs the event and starts one notification per channel that hears about it, without waiting: a
   * slow or dead channel never holds up the task. An approval notification names its gate, so its
   * one-tap links die with the gate; the budget gate has none, as approving it needs an amount.
   */
  private void notifyChannels(NotifyEvent event, String message) {
    notificationLog.info("[{}] task {} ({}): {}", event, input.taskId(), input.title(), message);
    Integer linkGate =
        event == NotifyEvent.AWAITING_APPROVAL && gate != null && gate != ApprovalGate.BUDGET
            ? gateNumber
            : null;
    for (NotifyTarget channel : input.channels()) {
      if (channel.events().contains(event)) {
        ChannelNotification notification =
            new ChannelNotification(
                input.taskId(), event, input.title(), message, channel, linkGate);
        notifications.add(Async.procedure(channelNotifying::send, notification));
      }
    }
  }

  /** Sets the status and writes the new state into the projection. */
  private void record(TaskStatus newStatus, String reason) {
    status = newStatus;
    statusReason = reason;
    writeProjection();
  }

  private void writeProjection() {
    TaskState snapshot = snapshot(++version);
    projection.record(snapshot);
    recordedVersion = Math.max(recordedVersion, snapshot.version());
  }

  private TaskState snapshot(long atVersion) {
    return new TaskState(
        input == null ? null : input.taskId(),
        atVersion,
        status,
        statusReason,
        priority,
        notBefore,
        plan,
        gate,
        run,
        result,
        error,
        now());
  }

  private boolean approvalBeforeRun() {
    Boolean fixed = input.approval().beforeRun();
    return fixed != null ? fixed : plan.needsApproval();
  }

  private boolean approvalBeforePublish() {
    return Boolean.TRUE.equals(input.approval().beforePublish());
  }

  private static String gateWords(ApprovalGate gate) {
    return gate == ApprovalGate.BEFORE_RUN ? "before the agent runs" : "before publishing";
  }

  /** The text without surrounding blanks, its last {@code MAX_SUMMARY_LENGTH} characters. */
  private static String trimmed(String text) {
    if (text == null) {
      return "";
    }
    String stripped = text.strip();
    int max = SummaryActivities.MAX_SUMMARY_LENGTH;
    return stripped.length() <= max ? stripped : stripped.substring(stripped.length() - max);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  // ---- queries and updates ----

  @Override
  public TaskState state() {
    return snapshot(version);
  }

  /** Returns the state once everything changed so far is in the projection. */
  private TaskState settled() {
    writeProjection();
    long target = version;
    Workflow.await(() -> recordedVersion >= target);
    return state();
  }

  @Override
  public TaskState approve(String comment, BigDecimal budgetUsd) {
    commands.decide(true, comment, budgetUsd);
    return settledAfterLeaving(TaskStatus.AWAITING_APPROVAL);
  }

  @Override
  public void validateApprove(String comment, BigDecimal budgetUsd) {
    TaskCommands.requireStatus(status, "approve", TaskStatus.AWAITING_APPROVAL);
    if (gate == ApprovalGate.BUDGET
        && (budgetUsd == null || budgetUsd.compareTo(budgetSpent) <= 0)) {
      throw TaskCommands.invalidArgument(
          "approving more budget needs a budgetUsd above the " + budgetSpent + " USD spent");
    }
  }

  @Override
  public TaskState reject(String comment) {
    commands.decide(false, comment);
    return settledAfterLeaving(TaskStatus.AWAITING_APPROVAL);
  }

  @Override
  public void validateReject(String comment) {
    TaskCommands.requireStatus(status, "reject", TaskStatus.AWAITING_APPROVAL);
  }

  @Override
  public TaskState approveGate(int gate, String comment) {
    return approve(comment, null);
  }

  @Override
  public void validateApproveGate(int number, String comment) {
    requireOpenGate(number, "approve");
    if (gate == ApprovalGate.BUDGET) {
      throw TaskCommands.invalidState("approve through a link", status);
    }
  }

  @Override
  public TaskState rejectGate(int gate, String comment) {
    return reject(comment);
  }

  @Override
  public void validateRejectGate(int number, String comment) {
    requireOpenGate(number, "reject");
  }

  private void requireOpenGate(int number, String command) {
    TaskCommands.requireStatus(status, command, TaskStatus.AWAITING_APPROVAL);
    if (number != gateNumber || commands.decision() != null) {
      throw TaskCommands.invalidArgument("approval gate " + number + " is closed");
    }
  }

  @Override
  public TaskState cancel(String reason) {
    commands.requestCancel(reason);
    if (agentScope != null && agentRun != null && !agentRun.isCompleted()) {
      agentScope.cancel(reason);
    }
    Workflow.await(() -> status.isTerminal());
    return settled();
  }

  @Override
  public void validateCancel(String reason) {
    // Publishing is the step that cannot be taken back: once it started, the task finishes.
    if (status.isTerminal() || status == TaskStatus.PUBLISHING) {
      throw TaskCommands.invalidState("cancel", status);
    }
  }

  @Override
  public TaskState pause() {
    status = TaskStatus.PAUSED;
    commands.changed();
    return settled();
  }

  @Override
  public void validatePause() {
    TaskCommands.requireStatus(status, "pause", TaskStatus.SCHEDULED);
  }

  @Override
  public TaskState resume() {
    status = TaskStatus.SCHEDULED;
    commands.changed();
    return settled();
  }

  @Override
  public void validateResume() {
    TaskCommands.requireStatus(status, "resume", TaskStatus.PAUSED);
  }

  @Override
  public TaskState runNow() {
    commands.requestRunNow();
    return settledAfterLeaving(TaskStatus.SCHEDULED, TaskStatus.PAUSED);
  }

  @Override
  public void validateRunNow() {
    TaskCommands.requireStatus(status, "run-now", TaskStatus.SCHEDULED, TaskStatus.PAUSED);
  }

  @Override
  public TaskState reschedule(Instant newNotBefore) {
    notBefore = newNotBefore;
    commands.fixNotBefore();
    return settled();
  }

  @Override
  public void validateReschedule(Instant newNotBefore) {
    TaskCommands.requireStatus(status, "reschedule", TaskStatus.SCHEDULED, TaskStatus.PAUSED);
    if (newNotBefore == null) {
      throw TaskCommands.invalidArgument("notBefore is required");
    }
  }

  @Override
  public TaskState replan() {
    planTask();
    commands.changed();
    return settled();
  }

  @Override
  public void validateReplan() {
    TaskCommands.requireStatus(status, "replan", TaskStatus.SCHEDULED, TaskStatus.PAUSED);
  }

  @Override
  public TaskState setPriority(int newPriority) {
    priority = newPriority;
    commands.fixPriority();
    return settled();
  }

  @Override
  public void validateSetPriority(int newPriority) {
    if (status.isTerminal()) {
      throw TaskCommands.invalidState("priority", status);
    }
    TaskCommands.requirePriority(newPriority);
  }

  @Override
  public TaskState provideInput(String text) {
    commands.answer(text);
    return settledAfterLeaving(TaskStatus.WAITING_FOR_INPUT);
  }

  @Override
  public void validateProvideInput(String text) {
    TaskCommands.requireStatus(status, "input", TaskStatus.WAITING_FOR_INPUT);
  }

  /** Waits until the main flow has moved the task out of the given statuses, then settles. */
  private TaskState settledAfterLeaving(TaskStatus... from) {
    Workflow.await(() -> !List.of(from).contains(status));
    return settled();
  }
}
