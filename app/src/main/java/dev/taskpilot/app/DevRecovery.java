package dev.taskpilot.app;

import dev.taskpilot.api.tasks.TaskEngine;
import dev.taskpilot.store.AgentSessionRecord;
import dev.taskpilot.store.AgentSessionRepository;
import dev.taskpilot.store.ApprovalTokenRepository;
import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import dev.taskpilot.workflows.task.ApprovalGate;
import dev.taskpilot.workflows.task.ResultInfo;
import dev.taskpilot.workflows.task.RunInfo;
import dev.taskpilot.workflows.task.TaskCarry;
import dev.taskpilot.workflows.task.TaskInput;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the embedded engine restarts empty, every open task goes on from what PostgreSQL records
 * (the engine's memory is gone, PostgreSQL is not): its workflow starts again under the same id,
 * carrying the stage it had reached ({@link TaskCarry}), its plan, run and result. A task that was
 * running runs again, continuing its agent's session where the profile can; a gate or a question
 * opens again under the same gate number, so its one-tap links still work; publishing goes on
 * through the ledger, so no target gets a second delivery. Tasks still being planned start over.
 * Schedule workflows start again from PostgreSQL.
 */
@Singleton
class DevRecovery {
  private static final Logger log = LoggerFactory.getLogger(DevRecovery.class);
  private static final List<String> TERMINAL =
      Arrays.stream(TaskStatus.values()).filter(TaskStatus::isTerminal).map(Enum::name).toList();

  private final TaskRepository tasks;
  private final ApprovalTokenRepository approvalTokens;
  private final AgentSessionRepository sessions;
  private final TaskEngine engine;
  private final WorkflowClient client;
  private final ScheduleRecovery schedules;

  DevRecovery(
      TaskRepository tasks,
      ApprovalTokenRepository approvalTokens,
      AgentSessionRepository sessions,
      TaskEngine engine,
      WorkflowClient client,
      ScheduleRecovery schedules) {
    this.tasks = tasks;
    this.approvalTokens = approvalTokens;
    this.sessions = sessions;
    this.engine = engine;
    this.client = client;
    this.schedules = schedules;
  }

  /** Recovers every open task the engine does not know. Returns how many were touched. */
  int recover() {
    int replanned = 0;
    int resumed = 0;
    for (TaskRecord task : tasks.findByStatusNotInList(TERMINAL)) {
      if (EngineWorkflows.knows(client, WorkflowIds.task(task.id()))) {
        continue;
      }
      TaskInput input = TaskJson.read(task.request(), TaskInput.class);
      TaskCarry.Stage stage = stageOf(task);
      if (stage == null) {
        tasks.resetForRestart(task.id(), Instant.now());
        engine.start(input);
        replanned++;
      } else {
        engine.start(input.carrying(carry(task, input, stage)));
        resumed++;
      }
    }
    if (replanned + resumed > 0) {
      log.warn(
          "engine restart: {} task(s) go on from where PostgreSQL recorded them, {} still being"
              + " planned started over",
          resumed,
          replanned);
    }
    // After the tasks, so a run a schedule starts again finds its task restarted.
    return replanned + resumed + schedules.recover();
  }

  /** Where a task goes on, or null when it starts over (it was still being planned). */
  static TaskCarry.Stage stageOf(TaskRecord task) {
    TaskStatus status = TaskStatus.valueOf(task.status());
    boolean ran = task.run() != null;
    if (task.plan() == null) {
      return null;
    }
    return switch (status) {
      case RUNNING, PARKED -> TaskCarry.Stage.RUN;
      // Waiting for a slot or paused: before its first run it waits for its start again.
      case SCHEDULED, PAUSED -> ran ? TaskCarry.Stage.RUN : TaskCarry.Stage.START_WAIT;
      case WAITING_FOR_INPUT -> TaskCarry.Stage.INPUT;
      case AWAITING_APPROVAL -> {
        String gate = task.approvalGate();
        if (ApprovalGate.BUDGET.name().equals(gate)) {
          yield TaskCarry.Stage.BUDGET;
        }
        yield ApprovalGate.BEFORE_PUBLISH.name().equals(gate)
            ? TaskCarry.Stage.BEFORE_PUBLISH
            : TaskCarry.Stage.START_WAIT;
      }
      case PUBLISHING -> TaskCarry.Stage.PUBLISH;
      default -> null;
    };
  }

  private TaskCarry carry(TaskRecord task, TaskInput input, TaskCarry.Stage stage) {
    TaskStatus status = TaskStatus.valueOf(task.status());
    // A gate opens again as the same gate (its number is counted up when it opens), so the links
    // made for it still decide it.
    int gateNumber =
        status == TaskStatus.AWAITING_APPROVAL
            ? Math.max(0, approvalTokens.lastGate(task.id()) - 1)
            : approvalTokens.lastGate(task.id());
    RunInfo run = task.run() == null ? null : TaskJson.read(task.run(), RunInfo.class);
    if (run != null && run.sessionId() == null) {
      // The projected run learns its session when the run ends; the run recorded it at once.
      String session = sessions.findById(task.id()).map(AgentSessionRecord::sessionId).orElse(null);
      run =
          new RunInfo(
              run.attempt(),
              run.startedAt(),
              run.endedAt(),
              run.exitCode(),
              run.costUsd(),
              session,
              run.outputLines());
    }
    ResultInfo result =
        task.result() == null ? null : TaskJson.read(task.result(), ResultInfo.class);
    return new TaskCarry(
        stage,
        status,
        task.statusReason(),
        task.priority(),
        task.notBefore() != null ? task.notBefore() : Instant.now(),
        TaskJson.read(task.plan(), TaskPlan.class),
        input.budgetUsd(),
        input.priority() != null,
        input.notBefore() != null,
        task.version(),
        gateNumber,
        false,
        new TaskCarry.Resumed(run, result));
  }
}
