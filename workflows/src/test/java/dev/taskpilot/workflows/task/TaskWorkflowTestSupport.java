package dev.taskpilot.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.workflows.ErrorType;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * Gives every workflow test a fresh environment and the shared assertions. A workflow that hangs
 * fails its test instead of the build.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class TaskWorkflowTestSupport {
  TaskTestEnvironment env;

  @BeforeEach
  void createEnvironment() {
    env = newEnvironment();
  }

  TaskTestEnvironment newEnvironment() {
    return new TaskTestEnvironment();
  }

  @AfterEach
  void closeEnvironment() {
    env.close();
  }

  /**
   * Asserts that an update was refused by its validator with the given type and message. The type
   * reaches the client only through {@link UnwrappingFailureConverter} on SDK 1.38.0.
   */
  static void assertRefused(ThrowingCallable update, ErrorType type, String message) {
    assertThatThrownBy(update)
        .isInstanceOf(WorkflowUpdateException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(type.name());
              assertThat(failure.getOriginalMessage()).isEqualTo(message);
            });
  }
}
