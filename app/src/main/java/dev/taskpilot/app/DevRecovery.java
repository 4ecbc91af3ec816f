package dev.taskpilot.app;

import dev.taskpilot.api.tasks.TaskEngine;
import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.task.ErrorInfo;
import dev.taskpilot.workflows.task.TaskInput;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the embedded engine restarts empty, no task may keep showing a status nothing will change:
 * tasks that had not started running are started again from their stored request (same id); the
 * others are marked FAILED with {@code ENGINE_RESTARTED}. Schedule workflows start again from
 * PostgreSQL.
 */
@Singleton
class DevRecovery {
  private static final Logger log = LoggerFactory.getLogger(DevRecovery.class);
  private static final List<String> TERMINAL =
      Arrays.stream(TaskStatus.values()).filter(TaskStatus::isTerminal).map(Enum::name).toList();

  private final TaskRepository tasks;
  private final TaskEngine engine;
  private final WorkflowClient client;
  private final ScheduleRecovery schedules;

  DevRecovery(
      TaskRepository tasks, TaskEngine engine, WorkflowClient client, ScheduleRecovery schedules) {
    this.tasks = tasks;
    this.engine = engine;
    this.client = client;
    this.schedules = schedules;
  }

  /** Recovers every open task the engine does not know. Returns how many were touched. */
  int recover() {
    int restarted = 0;
    int failed = 0;
    for (TaskRecord task : tasks.findByStatusNotInList(TERMINAL)) {
      if (EngineWorkflows.knows(client, WorkflowIds.task(task.id()))) {
        continue;
      }
      if (hasStartedRunning(task)) {
        String error =
            TaskJson.write(
                new ErrorInfo(
                    ErrorType.ENGINE_RESTARTED.name(),
                    "the embedded engine restarted while the task was "
                        + task.status()
                        + "; its progress was in memory"));
        tasks.applyState(
            task.id(),
            task.version() + 1,
            TaskStatus.FAILED.name(),
            ErrorType.ENGINE_RESTARTED.name(),
            task.priority(),
            task.notBefore(),
            null,
            task.plan(),
            task.run(),
            task.result(),
            error,
            Instant.now());
        failed++;
      } else {
        tasks.resetForRestart(task.id(), Instant.now());
        engine.start(TaskJson.read(task.request(), TaskInput.class));
        restarted++;
      }
    }
    if (restarted + failed > 0) {
      log.warn(
          "engine restart: {} waiting task(s) started again, {} running task(s) marked FAILED"
              + " (ENGINE_RESTARTED)",
          restarted,
          failed);
    }
    // After the tasks, so a run a schedule starts again finds its task restarted or failed.
    return restarted + failed + schedules.recover();
  }

  private static boolean hasStartedRunning(TaskRecord task) {
    return TaskStatus.valueOf(task.status()).hasStartedRunning() || task.run() != null;
  }
}
