package dev.taskpilot.api.schedules;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.workflows.client.EngineCallException;
import dev.taskpilot.workflows.client.EngineCalls;
import dev.taskpilot.workflows.client.ScheduleStarts;
import dev.taskpilot.workflows.schedule.ScheduleIds;
import dev.taskpilot.workflows.schedule.ScheduleInput;
import dev.taskpilot.workflows.schedule.ScheduleWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import jakarta.inject.Singleton;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts schedule workflows and sends them Updates, turning engine answers into API errors. */
@Singleton
public class ScheduleEngine {
  private static final Logger log = LoggerFactory.getLogger(ScheduleEngine.class);

  private final WorkflowClient client;
  private final EngineCalls calls;

  public ScheduleEngine(WorkflowClient client, EngineCalls calls) {
    this.client = client;
    this.calls = calls;
  }

  /** Starts a schedule's workflow; one that already runs is not an error. */
  public void start(ScheduleInput input, String name) {
    try {
      if (!EngineCalls.reach(() -> ScheduleStarts.start(client, input, name))) {
        log.info("schedule {} was already started", input.scheduleId());
      }
    } catch (EngineCallException e) {
      throw ApiException.from(e);
    }
  }

  /**
   * Sends an Update and returns its result, waiting at most the command timeout. A refusal is 409
   * {@code INVALID_STATE} (400 for an invalid argument); a workflow the engine does not know throws
   * {@link WorkflowNotFoundException} for the caller to decide.
   */
  public <T> T update(String scheduleId, String command, Function<ScheduleWorkflow, T> update) {
    ScheduleWorkflow stub =
        client.newWorkflowStub(ScheduleWorkflow.class, ScheduleIds.workflow(scheduleId));
    try {
      return calls.call(command, () -> update.apply(stub));
    } catch (EngineCallException e) {
      throw ApiException.from(e);
    } catch (WorkflowNotFoundException e) {
      throw e;
    } catch (WorkflowUpdateException e) {
      // SDK 1.38 hides a validator's failure type (see ARCHITECTURE.md, "Refusals").
      throw new ApiException(ErrorCode.INVALID_STATE, command + " was refused by the schedule");
    } catch (RuntimeException e) {
      log.error("{} failed in the engine", command, e);
      throw new ApiException(
          ErrorCode.ENGINE_UNAVAILABLE, command + " could not be delivered to the workflow engine");
    }
  }
}
