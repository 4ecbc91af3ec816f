package dev.taskpilot.api.events;

import dev.taskpilot.store.TaskChanges;
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
 * One client's global event stream ({@code GET /api/v1/events}): a single-subscriber {@link
 * Publisher} of a {@code status} event per task write, read by polling {@link TaskChanges} on a
 * virtual thread of its own, in the order the writes committed, from a position on. Like {@link
 * TaskEventStream} it reads only when the subscriber asked for events (at most {@value #PAGE} rows
 * held) and sends a keep-alive comment after a silence; unlike it, it never ends by itself.
 */
final class ChangeEventStream implements Publisher<Event<String>>, Subscription, OpenStream {
  /** The most rows read (and held) at once. */
  static final int PAGE = 200;

  private static final Logger log = LoggerFactory.getLogger(ChangeEventStream.class);
  private static final long DEMAND_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** What a stream reads and how it runs. */
  interface Source {
    /** The rows after the position, matching the filter. */
    TaskChanges.Page after(TaskChanges.Position position, TaskChanges.Filter filter, int limit);

    /** The task resource's JSON, exactly as {@code GET /api/v1/tasks/{id}} answers. */
    String json(TaskChanges.Changed changed);

    /** Runs the stream's loop; throws {@link RejectedExecutionException} when shutting down. */
    void start(ChangeEventStream stream);

    /** The stream has ended, for whatever reason. */
    void ended(ChangeEventStream stream);
  }

  private final Source source;
  private final TaskChanges.Filter filter; // null: nothing can match
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

  // Touched by the stream's own thread only.
  private TaskChanges.Position position;
  private long lastSentNanos;

  ChangeEventStream(
      Source source,
      TaskChanges.Filter filter,
      TaskChanges.Position from,
      Duration pollInterval,
      Duration keepAlive) {
    this.source = source;
    this.filter = filter;
    this.position = from;
    this.pollInterval = pollInterval;
    this.keepAlive = keepAlive;
  }

  @Override
  public void subscribe(Subscriber<? super Event<String>> s) {
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
      source.start(this);
    } catch (RejectedExecutionException e) {
      s.onError(e);
    }
  }

  @Override
  public void request(long n) {
    if (n <= 0) {
      invalidDemand = true; // rule 3.9: answered with onError from the stream's thread
    } else {
      demand.getAndAccumulate(n, (have, more) -> have + more < 0 ? Long.MAX_VALUE : have + more);
    }
    wake();
  }

  @Override
  public void cancel() {
    cancelled = true;
    wake();
  }

  @Override
  public void close() {
    closing = true;
    wake();
  }

  /** The stream's loop, on its own thread. Signals the subscriber from this thread only. */
  void run() {
    try {
      stream();
      finish(null);
    } catch (RuntimeException | Error e) {
      finish(e);
    } finally {
      source.ended(this);
    }
  }

  private void finish(Throwable failure) {
    if (cancelled) {
      return;
    }
    if (invalidDemand) {
      subscriber.onError(new IllegalArgumentException("request(n) needs n > 0 (rule 3.9)"));
    } else if (failure != null && !closing) {
      log.warn("global event stream failed at {}: {}", position, failure.toString());
      subscriber.onError(failure);
    } else {
      subscriber.onComplete();
    }
  }

  private boolean halted() {
    return cancelled || closing || invalidDemand;
  }

  private void stream() {
    lastSentNanos = System.nanoTime();
    // The answer's headers leave with its first bytes: without this a client would wait for the
    // first change or keep-alive to learn that its stream is open.
    if (!send(Event.of("").comment("connected"))) {
      return;
    }
    while (!halted()) {
      long polledAt = System.nanoTime();
      boolean full = false;
      if (filter != null && demand.get() > 0) {
        TaskChanges.Page page = source.after(position, filter, PAGE);
        for (TaskChanges.Changed changed : page.changes()) {
          Event<String> event =
              Event.of(source.json(changed)).name("status").id(ChangeCursor.id(changed.position()));
          if (!send(event)) {
            return;
          }
          position = changed.position();
        }
        full = page.changes().size() >= PAGE;
        if (!full && page.horizon() > position.xid()) {
          // Every matching row below the horizon was read: later reads start there.
          position = new TaskChanges.Position(page.horizon(), "");
        }
      }
      if (full) {
        continue; // more rows are waiting: read on at once
      }
      if (!keepAliveIfIdle()) {
        return;
      }
      sleepUntil(polledAt + pollInterval.toNanos());
    }
  }

  /** A comment when nothing was sent for the keep-alive interval and the client takes one now. */
  private boolean keepAliveIfIdle() {
    if (System.nanoTime() - lastSentNanos < keepAlive.toNanos() || demand.get() == 0) {
      return !halted();
    }
    return send(Event.of("").comment("keep-alive"));
  }

  /** Sends one event as soon as the subscriber asks for one; false when the stream has ended. */
  private boolean send(Event<String> event) {
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
