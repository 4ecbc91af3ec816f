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
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
  private final Duration startTimeout;
  @Nullable private final CreateSteps steps;
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("task-start-deadlines").daemon().factory());

  public TaskEngine(
      WorkflowClient client,
      EngineCalls calls,
      @Value("${taskpilot.api.start-timeout:10s}") Duration startTimeout,
      @Nullable CreateSteps steps) {
    if (startTimeout.isNegative() || startTimeout.isZero()) {
      throw new IllegalArgumentException(
          "taskpilot.api.start-timeout must be positive: " + startTimeout);
    }
    this.client = client;
    this.calls = calls;
    this.startTimeout = startTimeout;
    this.steps = steps;
  }

  /** Whether a task's workflow exists in the engine, as far as the engine could say. */
  public enum Presence {
    /** It exists (running or ended): it was started. */
    EXISTS,
    /** The engine answered that it does not exist, or surely refused to start it. */
    ABSENT,
    /** The engine could not be asked, or its answer was unclear. */
    UNKNOWN
  }

  /**
   * Starts the task's workflow and says whether it exists afterwards, waiting at most {@code
   * taskpilot.api.start-timeout} (the client retries an unreachable engine meanwhile). Started, or
   * started before under this id: {@code EXISTS}. Surely refused or never reached ({@link
   * #surelyNotStarted}): {@code ABSENT}. Anything else, such as a deadline that passed while the
   * engine may have taken the start, is unclear: the engine is asked ({@link #presence}).
   */
  public Presence startOnce(TaskInput input) {
    String taskId = input.taskId();
    try {
      boolean fresh =
          withinStartTimeout(
              () -> {
                reached(CreateSteps.Step.START_SENDING, taskId);
                boolean started = TaskStarts.start(client, input);
                reached(CreateSteps.Step.START_ANSWERED, taskId);
                return started;
              });
      if (!fresh) {
        log.info("task {} was already started", taskId);
      }
      return Presence.EXISTS;
    } catch (RuntimeException e) {
      if (surelyNotStarted(e)) {
        log.warn("the engine did not start task {}: {}", taskId, rootMessage(e));
        return Presence.ABSENT;
      }
      log.warn(
          "the start of task {} ended unclear ({}); asking the engine", taskId, rootMessage(e));
      Asked known = ask(taskId);
      if (known.presence() == Presence.UNKNOWN && neverAnswered(e) && known.refused()) {
        // The start never had an answer from a server, and nothing listens at the engine's
        // address now (the SDK's retries can run out between two refused attempts, which shows as
        // neither UNAVAILABLE nor a deadline): it was not taken.
        log.warn("the engine of task {} refuses connections: the start was not taken", taskId);
        return Presence.ABSENT;
      }
      return known.presence();
    }
  }

  /**
   * Whether a failed start carries no answer of a server: no gRPC status in its causes but {@code
   * UNAVAILABLE} (not processed).
   */
  static boolean neverAnswered(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status
          && status.getStatus().getCode() != Status.Code.UNAVAILABLE) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the engine knows the task's workflow (DescribeWorkflowExecution, one attempt, at most
   * {@code taskpilot.api.start-timeout}).
   */
  public Presence presence(String taskId) {
    return ask(taskId).presence();
  }

  /**
   * The engine's answer about a task's workflow.
   *
   * @param refused whether the question was refused at the connection (nobody listens)
   */
  private record Asked(Presence presence, boolean refused) {}

  private Asked ask(String taskId) {
    try {
      presenceOrThrow(taskId);
      return new Asked(Presence.EXISTS, false);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return new Asked(Presence.ABSENT, false);
      }
      log.warn("could not ask the engine about task {}: {}", taskId, e.getStatus());
      return new Asked(Presence.UNKNOWN, refusedAtConnection(e));
    } catch (RuntimeException e) {
      log.warn("could not ask the engine about task {}: {}", taskId, rootMessage(e));
      return new Asked(Presence.UNKNOWN, refusedAtConnection(e));
    }
  }

  private static boolean refusedAtConnection(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  private void presenceOrThrow(String taskId) {
    withinStartTimeout(
        () -> {
          reached(CreateSteps.Step.DESCRIBING, taskId);
          return client
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setExecution(
                          WorkflowExecution.newBuilder().setWorkflowId(WorkflowIds.task(taskId)))
                      .build());
        });
  }

  /**
   * Whether a failed start surely did not start the workflow: the engine was not reachable or not
   * serving ({@code UNAVAILABLE}, gRPC's "not processed, try again"), or it refused the request
   * itself (bad argument, unknown namespace, no permission, rate limited, not implemented). A
   * deadline that passed, a cancel, {@code UNKNOWN} or {@code INTERNAL} may follow a start the
   * engine took, and anything but a gRPC status is unclear too.
   */
  static boolean surelyNotStarted(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StatusRuntimeException status) {
        return switch (status.getStatus().getCode()) {
          case UNAVAILABLE,
              INVALID_ARGUMENT,
              NOT_FOUND,
              PERMISSION_DENIED,
              UNAUTHENTICATED,
              RESOURCE_EXHAUSTED,
              FAILED_PRECONDITION,
              OUT_OF_RANGE,
              UNIMPLEMENTED ->
              true;
          default -> false;
        };
      }
    }
    return false;
  }

  /**
   * Runs an engine call under a gRPC deadline of {@code taskpilot.api.start-timeout}: the client's
   * retries of an unreachable engine stop there too.
   */
  private <T> T withinStartTimeout(Callable<T> call) {
    Context.CancellableContext bounded =
        Context.current()
            .withDeadlineAfter(startTimeout.toMillis(), TimeUnit.MILLISECONDS, deadlines);
    try {
      return bounded.call(call);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      bounded.cancel(null);
    }
  }

  private void reached(CreateSteps.Step step, String taskId) {
    if (steps != null) {
      steps.reached(step, taskId);
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }

  @PreDestroy
  void close() {
    deadlines.shutdownNow();
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
