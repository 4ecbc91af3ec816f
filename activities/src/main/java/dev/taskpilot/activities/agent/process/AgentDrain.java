package dev.taskpilot.activities.agent.process;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * A worker's drain: once it begins (SIGTERM, the worker stopping), running agents get {@code
 * taskpilot.worker.drain-timeout} to finish; then each still running is stopped and handed over, so
 * its run continues elsewhere without using a retry attempt.
 */
@Singleton
public class AgentDrain {
  private final Duration timeout;
  private volatile long handOverAtNanos;
  private volatile boolean begun;

  @Inject
  public AgentDrain(@Value("${taskpilot.worker.drain-timeout:30s}") Duration timeout) {
    this.timeout = timeout;
  }

  /** Starts the drain; later calls change nothing. */
  public synchronized void begin() {
    if (!begun) {
      handOverAtNanos = System.nanoTime() + timeout.toNanos();
      begun = true;
    }
  }

  /** Ends a drain: the worker takes work again (a worker started again in the same process). */
  public synchronized void reset() {
    begun = false;
  }

  public boolean begun() {
    return begun;
  }

  /** True once the drain began and its time is up: running agents are handed over now. */
  public boolean handOverDue() {
    return begun && System.nanoTime() - handOverAtNanos >= 0;
  }

  /** How long the drain gives running agents. */
  public Duration timeout() {
    return timeout;
  }
}
