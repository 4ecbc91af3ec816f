package dev.taskpilot.api.events;

import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every event stream of the API shares: a single-subscriber {@link Publisher} that is its own
 * {@link Subscription}, whose loop ({@link #stream()}, written by the subclass) runs on a thread of
 * its own and polls PostgreSQL. It signals the subscriber from that thread only, sends an event
 * only when the subscriber asked for one ({@link #send}), keeps a quiet connection alive with a
 * comment, and ends on cancel, on {@link #close()} (shutdown), or when the loop returns.
 */
abstract class PolledEventStream implements Publisher<Event<String>>, Subscription, OpenStream {
  private static final Logger log = LoggerFactory.getLogger(PolledEventStream.class);
  private static final long DEMAND_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Duration pollInterval;
  private final Duration keepAlive;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final AtomicLong demand = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signal = lock.newCondition();
  private boolean signalled; // guarded by lock
  private volatile boolean cancelled;
  private volatile boolean closing;
  private volatile boolean invalidDemand;
  private volatile Subscriber<? super Event<String>> subscriber;
  private long lastSentNanos; // touched by the stream's own thread only

  PolledEventStream(Duration pollInterval, Duration keepAlive) {
    this.pollInterval = pollInterval;
    this.keepAlive = keepAlive;
  }

  /** The loop: reads, sends, sleeps; returns when the stream is over. */
  abstract void stream();

  /** Starts {@link #run()} on a thread; throws {@link RejectedExecutionException} at shutdown. */
  abstract void start();

  /** The stream has ended, for whatever reason. */
  abstract void ended();

  /** What the stream is and where it stands, for the log line of a failure. */
  abstract String describe();

  @Override
  public final void subscribe(Subscriber<? super Event<String>> s) {
    Objects.requireNonNull(s, "subscriber");
    if (!subscribed.compareAndSet(false, true)) {
      s.onSubscribe(
          new Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
      s.onError(new IllegalStateException("an event stream takes one subscriber"));
      return;
    }
    subscriber = s;
    s.onSubscribe(this);
    if (cancelled) {
      return;
    }
    try {
      start();
    } catch (RejectedExecutionException e) {
      s.onError(e);
    }
  }

  @Override
  public final void request(long n) {
    if (n <= 0) {
      invalidDemand = true; // rule 3.9: answered with onError from the stream's thread
    } else {
      demand.getAndAccumulate(n, (have, more) -> have + more < 0 ? Long.MAX_VALUE : have + more);
    }
    wake();
  }

  @Override
  public final void cancel() {
    cancelled = true;
    wake();
  }

  @Override
  public final void close() {
    closing = true;
    wake();
  }

  /** The stream's loop, on its own thread. Signals the subscriber from this thread only. */
  final void run() {
    try {
      lastSentNanos = System.nanoTime();
      stream();
      finish(null);
    } catch (RuntimeException | Error e) {
      finish(e);
    } finally {
      ended();
    }
  }

  private void finish(Throwable failure) {
    if (cancelled) {
      return;
    }
    if (invalidDemand) {
      subscriber.onError(new IllegalArgumentException("request(n) needs n > 0 (rule 3.9)"));
    } else if (failure != null && !closing) {
      log.warn("{} failed: {}", describe(), failure.toString());
      subscriber.onError(failure);
    } else {
      subscriber.onComplete();
    }
  }

  final boolean halted() {
    return cancelled || closing || invalidDemand;
  }

  /** Whether the subscriber has asked for an event that was not sent yet. */
  final boolean hasDemand() {
    return demand.get() > 0;
  }

  /** Waits out the rest of a poll interval that began at {@code polledAt} (System.nanoTime()). */
  final void sleepAfterPoll(long polledAt) {
    sleepUntil(polledAt + pollInterval.toNanos());
  }

  /** A comment when nothing was sent for the keep-alive interval and the client takes one now. */
  final boolean keepAliveIfIdle() {
    if (System.nanoTime() - lastSentNanos < keepAlive.toNanos() || demand.get() == 0) {
      return !halted();
    }
    return send(Event.of("").comment("keep-alive"));
  }

  /** Sends one event as soon as the subscriber asks for one; false when the stream has ended. */
  final boolean send(Event<String> event) {
    while (demand.get() == 0) {
      if (halted()) {
        return false;
      }
      await(DEMAND_CHECK_NANOS);
    }
    if (halted()) {
      return false;
    }
    if (demand.get() != Long.MAX_VALUE) {
      demand.decrementAndGet();
    }
    subscriber.onNext(event);
    lastSentNanos = System.nanoTime();
    return true;
  }

  /** Waits until the deadline; a request for more events does not cut it short, an end does. */
  private void sleepUntil(long deadline) {
    long left;
    while (!halted() && (left = deadline - System.nanoTime()) > 0) {
      await(left);
    }
  }

  private void await(long nanos) {
    lock.lock();
    try {
      if (!signalled) {
        signal.awaitNanos(nanos);
      }
      signalled = false;
    } catch (InterruptedException e) {
      closing = true;
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private void wake() {
    lock.lock();
    try {
      signalled = true;
      signal.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
