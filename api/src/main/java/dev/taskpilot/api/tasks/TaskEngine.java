package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.client.EngineCallException;
import dev.taskpilot.workflows.client.EngineCalls;
import dev.taskpilot.workflows.client.TaskStarts;
import dev.taskpilot.workflows.task.TaskInput;
import dev.taskpilot.workflows.task.TaskState;
import dev.taskpilot.workflows.task.TaskWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.inject.Singleton;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts task workflows and sends them Updates, turning engine answers into API errors. */
@Singleton
public class TaskEngine {
  private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

  private final WorkflowClient client;
  private final EngineCalls calls;

  public TaskEngine(WorkflowClient client, EngineCalls calls) {
    this.client = client;
    this.calls = calls;
  }

  /** Starts the task's workflow; starting one that already runs is not an error. */
  public void start(TaskInput input) {
    try {
      if (!EngineCalls.reach(() -> TaskStarts.start(client, input))) {
        log.info("task {} was already started", input.taskId());
      }
    } catch (EngineCallException e) {
      throw ApiException.from(e);
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
    TaskWorkflow stub = stub(taskId);
    try {
      calls.call(command, () -> update.apply(stub));
    } catch (EngineCallException e) {
      throw ApiException.from(e);
    } catch (RuntimeException failure) {
      TaskStatus status = currentStatus.get();
      if (status.isTerminal() || failure instanceof WorkflowNotFoundException) {
        throw new ApiException(
            ErrorCode.INVALID_STATE, command + " does not apply to a task in status " + status);
      }
      log.error("{} failed in the engine", command, failure);
      throw new ApiException(
          ErrorCode.ENGINE_UNAVAILABLE, command + " could not be delivered to the workflow engine");
    }
  }

  /** The workflow's live state through the {@code state} Query, waiting at most the timeout. */
  public TaskState query(String taskId) {
    TaskWorkflow stub = stub(taskId);
    try {
      return calls.call("the state query", stub::state);
    } catch (EngineCallException e) {
      throw ApiException.from(e);
    } catch (WorkflowNotFoundException e) {
      throw new ApiException(
          ErrorCode.ENGINE_UNAVAILABLE, "the workflow engine does not know task " + taskId);
    } catch (RuntimeException e) {
      log.error("state query of {} failed", taskId, e);
      throw new ApiException(ErrorCode.ENGINE_UNAVAILABLE, "the state query failed in the engine");
    }
  }

  private TaskWorkflow stub(String taskId) {
    return client.newWorkflowStub(TaskWorkflow.class, WorkflowIds.task(taskId));
  }
}
