package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.task.TaskInput;
import dev.taskpilot.workflows.task.TaskStarts;
import dev.taskpilot.workflows.task.TaskState;
import dev.taskpilot.workflows.task.TaskWorkflow;
import io.micronaut.context.annotation.Value;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts task workflows and sends them Updates, turning engine answers into API errors. */
@Singleton
public class TaskEngine {
  private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

  private final WorkflowClient client;
  private final Duration commandTimeout;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

  public TaskEngine(
      WorkflowClient client,
      @Value("${taskpilot.api.command-timeout:30s}") Duration commandTimeout) {
    this.client = client;
    this.commandTimeout = commandTimeout;
  }

  /** Starts the task's workflow; starting one that already runs is not an error. */
  public void start(TaskInput input) {
    try {
      if (!TaskStarts.start(client, input)) {
        log.info("task {} was already started", input.taskId());
      }
    } catch (RuntimeException e) {
      throw new ApiException(
          ErrorCode.ENGINE_UNAVAILABLE, "the workflow engine is not reachable; try again", e);
    }
  }

  /**
   * Sends an Update and waits for its result, at most the command timeout. A validator's refusal
   * becomes 409 {@code INVALID_STATE} (or 400 for an invalid argument).
   */
  public void update(
      String taskId,
      String command,
      Function<TaskWorkflow, ?> update,
      Supplier<TaskStatus> currentStatus) {
    TaskWorkflow stub = client.newWorkflowStub(TaskWorkflow.class, WorkflowIds.task(taskId));
    CompletableFuture<?> call = CompletableFuture.supplyAsync(() -> update.apply(stub), calls);
    try {
      call.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new ApiException(
          ErrorCode.ENGINE_UNAVAILABLE,
          command + " got no answer within " + commandTimeout + "; is a worker running?");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorCode.ENGINE_UNAVAILABLE, command + " was interrupted");
    } catch (ExecutionException e) {
      throw translate(command, e.getCause(), currentStatus);
    }
  }

  /** The workflow's live state through the {@code state} Query, waiting at most the timeout. */
  public TaskState query(String taskId) {
    TaskWorkflow stub = client.newWorkflowStub(TaskWorkflow.class, WorkflowIds.task(taskId));
    CompletableFuture<TaskState> call = CompletableFuture.supplyAsync(stub::state, calls);
    try {
      return call.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new ApiException(
          ErrorCode.ENGINE_UNAVAILABLE,
          "no worker answered the state query within " + commandTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(ErrorCode.ENGINE_UNAVAILABLE, "the state query was interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WorkflowNotFoundException) {
        throw new ApiException(
            ErrorCode.ENGINE_UNAVAILABLE, "the workflow engine does not know task " + taskId);
      }
      log.error("state query of {} failed", taskId, e.getCause());
      throw new ApiException(ErrorCode.ENGINE_UNAVAILABLE, "the state query failed in the engine");
    }
  }

  private static ApiException translate(
      String command, Throwable failure, Supplier<TaskStatus> currentStatus) {
    if (failure instanceof WorkflowUpdateException update
        && update.getCause() instanceof ApplicationFailure refusal) {
      ErrorCode code =
          ErrorType.VALIDATION_FAILED.name().equals(refusal.getType())
              ? ErrorCode.VALIDATION_FAILED
              : ErrorCode.INVALID_STATE;
      return new ApiException(code, refusal.getOriginalMessage());
    }
    TaskStatus status = currentStatus.get();
    if (status.isTerminal() || failure instanceof WorkflowNotFoundException) {
      return new ApiException(
          ErrorCode.INVALID_STATE, command + " does not apply to a task in status " + status);
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
