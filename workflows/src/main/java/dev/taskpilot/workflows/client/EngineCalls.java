package dev.taskpilot.workflows.client;

import dev.taskpilot.workflows.ErrorType;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Calls from client code to workflows (Updates and Queries through a stub) that wait at most a
 * timeout, and their refusals as {@link EngineCallException}s. Client code, not workflow code.
 */
public final class EngineCalls implements AutoCloseable {
  private final Duration timeout;
  private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param timeout the longest a call waits for its answer
   */
  public EngineCalls(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Runs {@code call} on a thread of its own and returns its result, waiting at most the timeout.
   *
   * @param what the call in messages, such as {@code approve}
   * @throws EngineCallException.Refused when the workflow refused an Update with an {@code
   *     ApplicationFailure}
   * @throws EngineCallException.Unavailable when no answer came within the timeout or the wait was
   *     interrupted
   * @throws RuntimeException any other failure of the call as the SDK raised it (a {@code
   *     WorkflowNotFoundException}, say), for the caller to judge
   */
  public <T> T call(String what, Supplier<T> call) {
    CompletableFuture<T> answer = CompletableFuture.supplyAsync(call, calls);
    try {
      return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new EngineCallException.Unavailable(
          what + " got no answer within " + timeout + "; is a worker running?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineCallException.Unavailable(what + " was interrupted", e);
    } catch (ExecutionException e) {
      throw refusalOr(e.getCause());
    }
  }

  /**
   * Runs a call that needs the engine but no worker, such as a start; any failure of it means that
   * the engine is not reachable.
   *
   * @throws EngineCallException.Unavailable for every failure of {@code call}
   */
  public static <T> T reach(Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw new EngineCallException.Unavailable(
          "the workflow engine is not reachable; try again", e);
    }
  }

  /** A refusal for an Update that ended in an {@code ApplicationFailure}; the failure otherwise. */
  private static RuntimeException refusalOr(Throwable failure) {
    if (failure instanceof WorkflowUpdateException update
        && update.getCause() instanceof ApplicationFailure refusal) {
      return new EngineCallException.Refused(
          ErrorType.fromFailureType(refusal.getType()), refusal.getOriginalMessage(), update);
    }
    if (failure instanceof RuntimeException runtime) {
      return runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new IllegalStateException(failure);
  }

  @Override
  public void close() {
    calls.shutdownNow();
  }
}
