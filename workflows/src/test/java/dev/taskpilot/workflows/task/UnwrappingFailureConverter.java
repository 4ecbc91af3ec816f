package dev.taskpilot.workflows.task;

import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.FailureConverter;
import io.temporal.failure.DefaultFailureConverter;
import io.temporal.internal.worker.WorkflowExecutionException;

/**
 * Keeps an update validator's failure type. Temporal Java SDK 1.38.0 wraps a validator's {@code
 * ApplicationFailure} in its internal {@link WorkflowExecutionException} and serializes it again,
 * so the client sees the wrapper's class name as the type (temporalio/sdk-java#2875, fixed by #3001
 * after 1.38.0). The wrapper already holds the serialized failure; this passes it through.
 */
final class UnwrappingFailureConverter implements FailureConverter {
  private final FailureConverter delegate = new DefaultFailureConverter();

  @Override
  public RuntimeException failureToException(Failure failure, DataConverter dataConverter) {
    return delegate.failureToException(failure, dataConverter);
  }

  @Override
  public Failure exceptionToFailure(Throwable throwable, DataConverter dataConverter) {
    if (throwable instanceof WorkflowExecutionException wrapped) {
      return wrapped.getFailure();
    }
    return delegate.exceptionToFailure(throwable, dataConverter);
  }
}
