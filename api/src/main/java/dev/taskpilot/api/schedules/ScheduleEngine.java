package dev.taskpilot.api.schedules;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.schedule.ScheduleIds;
import dev.taskpilot.workflows.schedule.ScheduleInput;
import dev.taskpilot.workflows.schedule.ScheduleWorkflow;
import io.micronaut.context.annotation.Value;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts schedule workflows and sends them Updates, turning engine answers into API errors. */
@Singleton
public class ScheduleEngine {
  private static final Logger log = LoggerFactory.getLogger(ScheduleEngine.class);

  private final WorkflowClient client;
  private final Duration commandTimeout;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

  public ScheduleEngine(
      WorkflowClient client,
      @Value("${taskpilot.api.command-timeout:30s}") Duration commandTimeout) {
    this.client = client;
    this.commandTimeout = commandTimeout;
  }

  /** Starts a schedule's workflow; one that already runs is not an error. */
  public void start(ScheduleInput input, String name) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(ScheduleIds.workflow(input.scheduleId()))
            .setTaskQueue(ScheduleWorkflow.TASK_QUEUE)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setMemo(Map.of("name", name))
            .setStaticSummary(
                name + ": " + input.spec().cron() + " (" + input.spec().timeZone() + ")")
            .build();
    ScheduleWorkflow workflow = client.newWorkflowStub(ScheduleWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::run, input);
    } catch (WorkflowExecutionAlreadyStarted e) {
      log.info("schedule {} was already started", input.scheduleId());
    } catch (RuntimeException e) {
      throw new ApiException(
          ErrorCode.ENGINE_UNAVAILABLE, "the workflow engine is not reachable; try again", e);
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
    CompletableFuture<T> call = CompletableFuture.supplyAsync(() -> update.apply(stub), calls);
    try {
      return call.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new ApiException(
          ErrorCode.ENGINE_UNAVAILABLE,
          command + " got no answer within " + commandTimeout + "; is a worker running?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorCode.ENGINE_UNAVAILABLE, command + " was interrupted");
    } catch (ExecutionException e) {
      throw translate(command, e.getCause());
    }
  }

  private static RuntimeException translate(String command, Throwable failure) {
    if (failure instanceof WorkflowNotFoundException notFound) {
      return notFound;
    }
    if (failure instanceof WorkflowUpdateException update
        && update.getCause() instanceof ApplicationFailure refusal) {
      ErrorCode code =
          ErrorType.VALIDATION_FAILED.name().equals(refusal.getType())
              ? ErrorCode.VALIDATION_FAILED
              : ErrorCode.INVALID_STATE;
      return new ApiException(code, refusal.getOriginalMessage());
    }
    if (failure instanceof WorkflowUpdateException) {
      // SDK 1.38 hides a validator's failure type (see ARCHITECTURE.md, "Refusals").
      return new ApiException(ErrorCode.INVALID_STATE, command + " was refused by the schedule");
    }
    log.error("{} failed in the engine", command, failure);
    return new ApiException(
        ErrorCode.ENGINE_UNAVAILABLE, command + " could not be delivered to the workflow engine");
  }

  @PreDestroy
  void close() {
    calls.shutdownNow();
  }
}
