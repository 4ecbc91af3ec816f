package dev.taskpilot.workflows.retention;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Retention batches as scripted: each call answers the next scripted batch, or a complete empty one
 * when the script has run out, and records the request with the (test environment's) time. One call
 * may be held until the test lets it go.
 */
final class FakeRetentionActivities implements RetentionActivities {
  static final RetentionBatch EMPTY = new RetentionBatch(0, 0, 0, 0, 0, true);

  /** One call: when it came and what it asked for. */
  record Call(Instant at, RetentionRequest request) {}

  private final Supplier<Instant> clock;
  private final Deque<Object> script = new ArrayDeque<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();
  private volatile int heldCall;
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  FakeRetentionActivities(Supplier<Instant> clock) {
    this.clock = clock;
  }

  /** The next calls answer these batches, in order. */
  synchronized void answer(RetentionBatch... batches) {
    script.addAll(List.of(batches));
  }

  /** The next call (after the batches scripted so far) throws this. */
  synchronized void fail(RuntimeException failure) {
    script.add(failure);
  }

  /** Holds the {@code n}-th call (from 1) until {@link #release()}. */
  void hold(int n) {
    heldCall = n;
  }

  /** Waits until the held call has come. */
  boolean awaitHeld() throws InterruptedException {
    return entered.await(10, TimeUnit.SECONDS);
  }

  void release() {
    released.countDown();
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The most calls that ran at the same time. */
  int mostAtOnce() {
    return mostAtOnce.get();
  }

  @Override
  public RetentionBatch deleteBatch(RetentionRequest request) {
    int now = running.incrementAndGet();
    mostAtOnce.accumulateAndGet(now, Math::max);
    try {
      calls.add(new Call(clock.get(), request));
      if (calls.size() == heldCall) {
        entered.countDown();
        released.await(10, TimeUnit.SECONDS);
      }
      Object next;
      synchronized (this) {
        next = script.poll();
      }
      if (next instanceof RuntimeException failure) {
        throw failure;
      }
      return next == null ? EMPTY : (RetentionBatch) next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      running.decrementAndGet();
    }
  }
}
