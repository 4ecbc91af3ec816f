package dev.taskpilot.activities.slots;

import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;

/**
 * Tells each activity execution the Temporal identity of the worker running it ({@link
 * #current()}), which the activity context does not: a process may run several workers, and the
 * agent run records its worker as the holder of its slot for the fleet view. One instance per
 * worker factory, each with its factory's identity.
 */
public final class WorkerIdentityInterceptor extends WorkerInterceptorBase {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private final String identity;

  public WorkerIdentityInterceptor(String identity) {
    this.identity = identity;
  }

  /** The identity of the worker whose activity runs on this thread, or null outside one. */
  public static String current() {
    return CURRENT.get();
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        String previous = CURRENT.get();
        CURRENT.set(identity);
        try {
          return super.execute(input);
        } finally {
          if (previous == null) {
            CURRENT.remove();
          } else {
            CURRENT.set(previous);
          }
        }
      }
    };
  }
}
