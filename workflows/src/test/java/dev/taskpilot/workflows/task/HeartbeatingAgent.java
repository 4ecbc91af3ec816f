package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.activities.agent.AgentActivities;
import dev.taskpilot.workflows.activities.agent.AgentRunRequest;
import dev.taskpilot.workflows.activities.agent.AgentRunResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An agent that works until it is cancelled, heartbeating as the real runner does; cancellation
 * reaches it as {@link ActivityCanceledException} from a heartbeat.
 */
final class HeartbeatingAgent implements AgentActivities {
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch cancelled = new CountDownLatch(1);

  @Override
  public AgentRunResult run(AgentRunRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    started.countDown();
    try {
      for (long beat = 0; ; beat++) {
        context.heartbeat(beat);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    } catch (ActivityCanceledException e) {
      cancelled.countDown();
      throw e;
    }
  }

  boolean awaitStarted() throws InterruptedException {
    return started.await(5, TimeUnit.SECONDS);
  }

  boolean wasCancelled() {
    return cancelled.getCount() == 0;
  }
}
