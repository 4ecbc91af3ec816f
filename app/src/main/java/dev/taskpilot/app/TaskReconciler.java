package dev.taskpilot.app;

import dev.taskpilot.api.tasks.TaskEngine;
import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.task.ErrorInfo;
import dev.taskpilot.workflows.task.TaskInput;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the workflows of tasks whose create was cut short: rows no workflow ever wrote ({@code
 * PLANNING} at projection version 0) untouched for {@code taskpilot.reconciler.grace}, looked for
 * every {@code taskpilot.reconciler.interval} in every process that serves the API ({@code api},
 * {@code dev}; not in the worker role).
 *
 * <p>Per row: claim it (its {@code updated_at} moves from the value read to now, compare-and-set),
 * so of several API processes one takes it per grace, and a create still deciding whether to remove
 * its row keeps it instead; then ask the engine. A workflow of its id exists: leave it alone (it
 * just did not write yet, e.g. no worker runs). None: start it from the stored request under the
 * same id; a concurrent start that wins is fine, starts are idempotent. A stored request that can
 * no longer be read fails the task ({@code FAILED}, {@link ErrorType#REQUEST_UNREADABLE}) instead
 * of leaving it waiting for ever. The claim also rotates the rows, so a pass reaches every one in
 * turn however many wait for a worker. The engine unreachable: the pass stops, the next one tries
 * again. A row is never removed here.
 */
@Singleton
@Requires(env = {"api", "dev"})
class TaskReconciler {
  private static final Logger log = LoggerFactory.getLogger(TaskReconciler.class);

  /** Rows looked at per pass at most. */
  static final int BATCH = 100;

  private final TaskRepository tasks;
  private final TaskEngine engine;
  private final Duration grace;
  private boolean failing;

  TaskReconciler(
      TaskRepository tasks,
      TaskEngine engine,
      @Value("${taskpilot.reconciler.grace:1m}") Duration grace) {
    if (grace.isNegative() || grace.isZero()) {
      throw new IllegalArgumentException("taskpilot.reconciler.grace must be positive: " + grace);
    }
    this.tasks = tasks;
    this.engine = engine;
    this.grace = grace;
  }

  /** What one pass did. */
  record Pass(int claimed, int alive, int started, int failed, boolean engineTrouble) {}

  @Scheduled(
      fixedDelay = "${taskpilot.reconciler.interval:30s}",
      initialDelay = "${taskpilot.reconciler.interval:30s}")
  synchronized void run() {
    try {
      Pass pass = reconcile();
      if (pass.started() + pass.failed() > 0) {
        log.warn(
            "reconciler: {} task(s) whose create was cut short started, {} marked FAILED"
                + " (REQUEST_UNREADABLE)",
            pass.started(),
            pass.failed());
      }
      if (failing && !pass.engineTrouble()) {
        log.info("the task reconciler works again");
      }
      if (!failing && pass.engineTrouble()) {
        log.warn("task reconciler: the workflow engine is unreachable; trying every interval");
      }
      failing = pass.engineTrouble();
    } catch (RuntimeException e) {
      if (!failing) {
        log.warn("task reconciler pass failed (retried every interval): {}", e.toString());
      }
      failing = true;
    }
  }

  /** One pass over the rows older than the grace. */
  Pass reconcile() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    int claimed = 0;
    int alive = 0;
    int started = 0;
    int failed = 0;
    for (TaskRecord row : tasks.findUnstarted(now.minus(grace), BATCH)) {
      if (tasks.claimUnstarted(row.id(), row.updatedAt(), now) == 0) {
        continue;
      }
      claimed++;
      switch (engine.presence(row.id())) {
        case EXISTS -> {
          alive++;
          continue;
        }
        case UNKNOWN -> {
          return new Pass(claimed, alive, started, failed, true);
        }
        case ABSENT -> {}
      }
      TaskInput input = readable(row);
      if (input == null) {
        fail(row, now);
        failed++;
        continue;
      }
      if (engine.startOnce(input) != TaskEngine.Presence.EXISTS) {
        return new Pass(claimed, alive, started, failed, true);
      }
      log.info("reconciler started task {}, whose create was cut short", row.id());
      started++;
    }
    return new Pass(claimed, alive, started, failed, false);
  }

  /** The stored request, or null when it cannot be read as this task's input. */
  private static TaskInput readable(TaskRecord row) {
    try {
      TaskInput input = TaskJson.read(row.request(), TaskInput.class);
      return input != null && row.id().equals(input.taskId()) ? input : null;
    } catch (IllegalArgumentException e) {
      log.warn("the stored request of task {} cannot be read: {}", row.id(), e.getMessage());
      return null;
    }
  }

  private void fail(TaskRecord row, Instant now) {
    String error =
        TaskJson.write(
            new ErrorInfo(
                ErrorType.REQUEST_UNREADABLE.name(),
                "the task's workflow never started, and its stored request can no longer be"
                    + " read to start it; create the task again"));
    tasks.applyState(
        row.id(),
        1,
        TaskStatus.FAILED.name(),
        ErrorType.REQUEST_UNREADABLE.name(),
        row.priority(),
        row.notBefore(),
        null,
        null,
        null,
        null,
        error,
        now);
  }
}
