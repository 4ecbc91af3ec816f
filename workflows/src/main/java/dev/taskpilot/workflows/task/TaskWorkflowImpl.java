package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.ProjectionWriter;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.projection.ProjectionActivities;
import dev.taskpilot.workflows.activities.secrets.SecretActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The task lifecycle of API.md on Temporal's deterministic APIs: plan, wait for the start, pass the
 * gate before the run, run the agent, pass the gate before publishing, publish. Each step is a
 * collaborator; a step that ends the task early throws {@link TaskEnded}.
 */
public class TaskWorkflowImpl implements TaskWorkflow {
  private static final Logger log = Workflow.getLogger(TaskWorkflowImpl.class);

  private final TaskProgress progress;
  private final TaskCommands commands = new TaskCommands();
  private final ProjectionWriter<TaskState> projection;
  private final TaskContext task;
  private final TaskPlanner planner;
  private final StartWait startWait;
  private final ApprovalGates gates;
  private final AgentRuns agentRuns;
  private final ResultPublisher results;
  private final TaskSearchAttributes searchAttributes = new TaskSearchAttributes();

  @WorkflowInit
  public TaskWorkflowImpl(TaskInput input) {
    progress = new TaskProgress(input);
    commands.carryOn(input.carried());
    ProjectionActivities writes = new ProjectionWrites();
    // A projection write is never cancelled halfway, not even by Temporal's cancel.
    projection =
        new ProjectionWriter<>(
            input.carried() != null ? input.carried().projectionVersion() : 0,
            version -> progress.snapshot(version, TaskContext.now()),
            state -> {
              // The Web UI's view of the task changes with its projection.
              searchAttributes.upsert(input, progress);
              TaskContext.uncancelled(() -> writes.record(state));
            });
    task = new TaskContext(input, progress, commands, new Notifier(input, progress), projection);
    planner = new TaskPlanner(task);
    startWait = new StartWait(task);
    gates = new ApprovalGates(task);
    agentRuns = new AgentRuns(task, gates);
    results = new ResultPublisher(task);
  }

  @Override
  public TaskState run(TaskInput input) {
    task.watchRootScope();
    task.notifier.choosePerChannel(
        Workflow.getVersion("notify-per-channel", Workflow.DEFAULT_VERSION, 1) >= 1);
    TaskCarry carried = input.carried();
    try {
      if (carried == null) {
        task.record(TaskStatus.PLANNING, null);
        planner.plan();
      }
      TaskCarry.Stage stage = carried == null ? null : carried.stage();
      if (stage == null || stage == TaskCarry.Stage.START_WAIT) {
        startWait.untilStart();
        gates.pass(ApprovalGate.BEFORE_RUN, approvalBeforeRun());
      }
      if (stage == TaskCarry.Stage.BEFORE_PUBLISH || stage == TaskCarry.Stage.PUBLISH) {
        // Restarted from PostgreSQL after its run: what the run produced was kept there.
        results.restore(carried.resumed() == null ? null : carried.resumed().result());
        gates.pass(
            ApprovalGate.BEFORE_PUBLISH,
            stage == TaskCarry.Stage.BEFORE_PUBLISH || approvalBeforePublish());
      } else {
        results.keep(agentRuns.runToCompletion(carried));
        gates.pass(ApprovalGate.BEFORE_PUBLISH, approvalBeforePublish());
      }
      results.publish();
      task.end(TaskStatus.SUCCEEDED, null, NotifyEvent.SUCCEEDED, "Task succeeded");
    } catch (TaskEnded ended) {
      task.end(ended);
    } catch (CanceledFailure e) {
      endCancelled();
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure) {
        endCancelled();
      } else {
        fail(e);
      }
    }
    // The notifications and handlers still running finish, also after Temporal's cancel.
    TaskContext.uncancelled(
        () -> {
          task.notifier.awaitPending();
          Workflow.await(Workflow::isEveryHandlerFinished);
        });
    // Last, once no notification can need them any more: the task's secrets go. Histories from
    // before keep them (the retention sweep purges those).
    TaskContext.uncancelled(
        () -> {
          if (Workflow.getVersion("purge-secrets", Workflow.DEFAULT_VERSION, 1) >= 1) {
            Workflow.newLocalActivityStub(SecretActivities.class, ActivityDefaults.SECRETS_LOCAL)
                .purge(input.taskId());
          }
        });
    if (task.cancelledInTemporal() && progress.status == TaskStatus.CANCELLED) {
      // Temporal shows the workflow as cancelled, as whoever cancelled it there expects; a task
      // that had already ended otherwise keeps its end.
      throw new CanceledFailure(task.cancelReason());
    }
    return state();
  }

  /** Cancelled in Temporal while a step waited on an activity: the end is recorded regardless. */
  private void endCancelled() {
    progress.endRunIfOpen(TaskContext.now());
    task.end(TaskEnded.cancelled(task.cancelReason()));
  }

  private void fail(ActivityFailure failure) {
    ErrorType code =
        failure.getCause() instanceof ApplicationFailure app
            ? ErrorType.fromFailureType(app.getType())
            : ErrorType.INTERNAL;
    String message = TaskPlanner.failureMessage(failure);
    log.warn("task {} failed: {} {}", task.input.taskId(), code, message);
    progress.endRunIfOpen(TaskContext.now());
    progress.error = new ErrorInfo(code.name(), message);
    task.end(TaskStatus.FAILED, code.name(), NotifyEvent.FAILED, "Task failed: " + message);
  }

  private boolean approvalBeforeRun() {
    Boolean fixed = task.input.approval().beforeRun();
    return fixed != null ? fixed : progress.plan.needsApproval();
  }

  private boolean approvalBeforePublish() {
    return Boolean.TRUE.equals(task.input.approval().beforePublish());
  }

  // ---- the query, and the commands as Updates; each validator is a check of TaskCommands ----

  @Override
  public void slotGranted(int claim) {
    agentRuns.slotGranted(claim);
  }

  @Override
  public TaskState state() {
    return projection.current();
  }

  @Override
  public TaskState approve(String comment, BigDecimal budgetUsd) {
    commands.decide(true, comment, budgetUsd);
    return settledAfterLeaving(TaskStatus.AWAITING_APPROVAL);
  }

  @Override
  public void validateApprove(String comment, BigDecimal budgetUsd) {
    commands.checkApprove(progress, budgetUsd);
  }

  @Override
  public TaskState reject(String comment) {
    commands.decide(false, comment);
    return settledAfterLeaving(TaskStatus.AWAITING_APPROVAL);
  }

  @Override
  public void validateReject(String comment) {
    commands.checkReject(progress);
  }

  @Override
  public TaskState approveGate(int gate, String comment) {
    return approve(comment, null);
  }

  @Override
  public void validateApproveGate(int gate, String comment) {
    commands.checkApproveGate(progress, gate);
  }

  @Override
  public TaskState rejectGate(int gate, String comment) {
    return reject(comment);
  }

  @Override
  public void validateRejectGate(int gate, String comment) {
    commands.checkRejectGate(progress, gate);
  }

  @Override
  public TaskState cancel(String reason) {
    commands.requestCancel(reason);
    agentRuns.cancelRunning(reason);
    Workflow.await(() -> progress.status.isTerminal());
    return projection.settled();
  }

  @Override
  public void validateCancel(String reason) {
    TaskCommands.checkCancel(progress);
  }

  @Override
  public TaskState pause() {
    progress.status = TaskStatus.PAUSED;
    commands.changed();
    return projection.settled();
  }

  @Override
  public void validatePause() {
    TaskCommands.checkPause(progress);
  }

  @Override
  public TaskState resume() {
    progress.status = TaskStatus.SCHEDULED;
    commands.changed();
    return projection.settled();
  }

  @Override
  public void validateResume() {
    TaskCommands.checkResume(progress);
  }

  @Override
  public TaskState runNow() {
    commands.requestRunNow();
    // A task waiting in the queue for an agent slot stays SCHEDULED: run-now moves its claim to
    // the front, and the answer does not wait for the slot.
    return settledWhen(
        () -> hasLeft(TaskStatus.SCHEDULED, TaskStatus.PAUSED) || agentRuns.waitingForSlot());
  }

  @Override
  public void validateRunNow() {
    TaskCommands.checkRunNow(progress);
  }

  @Override
  public TaskState reschedule(Instant notBefore) {
    progress.notBefore = notBefore;
    commands.fixNotBefore();
    return projection.settled();
  }

  @Override
  public void validateReschedule(Instant notBefore) {
    TaskCommands.checkReschedule(progress, notBefore);
  }

  @Override
  public TaskState replan() {
    planner.plan();
    commands.changed();
    return projection.settled();
  }

  @Override
  public void validateReplan() {
    TaskCommands.checkReplan(progress);
  }

  @Override
  public TaskState setPriority(int priority) {
    progress.priority = priority;
    commands.fixPriority();
    return projection.settled();
  }

  @Override
  public void validateSetPriority(int priority) {
    TaskCommands.checkSetPriority(progress, priority);
  }

  @Override
  public TaskState provideInput(String text) {
    commands.answer(text);
    return settledAfterLeaving(TaskStatus.WAITING_FOR_INPUT);
  }

  @Override
  public void validateProvideInput(String text) {
    TaskCommands.checkProvideInput(progress);
  }

  /** Waits until the main flow has moved the task out of the given statuses, then settles. */
  private TaskState settledAfterLeaving(TaskStatus... from) {
    return settledWhen(() -> hasLeft(from));
  }

  /** Waits until {@code condition} holds, then settles. */
  private TaskState settledWhen(Supplier<Boolean> condition) {
    Workflow.await(condition);
    return projection.settled();
  }

  private boolean hasLeft(TaskStatus... from) {
    return !List.of(from).contains(progress.status);
  }
}
