package dev.taskpilot.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mockito.stubbing.Answer;

/** Holds a mocked activity call until the test releases it, so a task can be caught mid-step. */
final class Hold {
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  /** An answer that waits for {@link #release()} and then answers as {@code then} does. */
  <T> Answer<T> then(Answer<T> then) {
    return call -> {
      entered.countDown();
      released.await(10, TimeUnit.SECONDS);
      return then.answer(call);
    };
  }

  /** Waits until the held activity has been called. */
  void awaitEntered() throws InterruptedException {
    assertThat(entered.await(5, TimeUnit.SECONDS)).as("held activity was called").isTrue();
  }

  void release() {
    released.countDown();
  }
}
