package dev.taskpilot.app;

import dev.taskpilot.api.schedules.ScheduleEngine;
import dev.taskpilot.store.ScheduleRecord;
import dev.taskpilot.store.ScheduleRepository;
import dev.taskpilot.store.ScheduleRunRepository;
import dev.taskpilot.workflows.schedule.OverlapPolicy;
import dev.taskpilot.workflows.schedule.ScheduleIds;
import dev.taskpilot.workflows.schedule.ScheduleInput;
import dev.taskpilot.workflows.schedule.ScheduleSpec;
import io.temporal.client.WorkflowClient;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts again, from PostgreSQL, the workflow of every schedule the engine does not know (the dev
 * role's embedded engine forgets everything when it stops). Dev-only, run by {@link DevRecovery}.
 * The stored fire times drive catch-up; the runs table gives the previous run and the number of
 * manual triggers.
 */
@Singleton
class ScheduleRecovery {
  private static final Logger log = LoggerFactory.getLogger(ScheduleRecovery.class);

  private final ScheduleRepository schedules;
  private final ScheduleRunRepository runs;
  private final ScheduleEngine engine;
  private final WorkflowClient client;

  ScheduleRecovery(
      ScheduleRepository schedules,
      ScheduleRunRepository runs,
      ScheduleEngine engine,
      WorkflowClient client) {
    this.schedules = schedules;
    this.runs = runs;
    this.engine = engine;
    this.client = client;
  }

  /** Restarts the workflows the engine lost; returns how many. */
  int recover() {
    int restarted = 0;
    for (ScheduleRecord row : schedules.findAllLive()) {
      if (EngineWorkflows.knows(client, ScheduleIds.workflow(row.id()))) {
        continue;
      }
      engine.start(input(row), row.name());
      restarted++;
    }
    if (restarted > 0) {
      log.warn("engine restart: {} schedule workflow(s) started again from PostgreSQL", restarted);
    }
    return restarted;
  }

  private ScheduleInput input(ScheduleRecord row) {
    return new ScheduleInput(
        row.id(),
        new ScheduleSpec(
            row.cron(),
            row.timeZone(),
            OverlapPolicy.valueOf(row.overlap()),
            Duration.parse(row.catchupWindow())),
        row.paused(),
        row.handledUntil(),
        row.lastFireTime(),
        runs.lastStartedTaskId(row.id()),
        row.bufferedFireTime(),
        runs.countManual(row.id()),
        row.stateVersion());
  }
}
