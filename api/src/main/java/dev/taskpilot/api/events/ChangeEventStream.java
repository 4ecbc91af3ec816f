package dev.taskpilot.api.events;

import dev.taskpilot.store.TaskChanges;
import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.reactivestreams.Publisher;

/**
 * One client's global event stream ({@code GET /api/v1/events}): a single-subscriber {@link
 * Publisher} of a {@code status} event per task write, read by polling {@link TaskChanges} on a
 * virtual thread of its own, in the order the writes committed, from a position on. Like {@link
 * TaskEventStream} it reads only when the subscriber asked for events (at most {@value #PAGE} rows
 * held) and sends a keep-alive comment after a silence; unlike it, it never ends by itself.
 */
final class ChangeEventStream extends PolledEventStream {
  /** The most rows read (and held) at once. */
  static final int PAGE = 200;

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

  // Touched by the stream's own thread only.
  private TaskChanges.Position position;

  ChangeEventStream(
      Source source,
      TaskChanges.Filter filter,
      TaskChanges.Position from,
      Duration pollInterval,
      Duration keepAlive) {
    super(pollInterval, keepAlive);
    this.source = source;
    this.filter = filter;
    this.position = from;
  }

  @Override
  void start() {
    source.start(this);
  }

  @Override
  void ended() {
    source.ended(this);
  }

  @Override
  String describe() {
    return "global event stream at " + position;
  }

  @Override
  void stream() {
    // The answer's headers leave with its first bytes: without this a client would wait for the
    // first change or keep-alive to learn that its stream is open.
    if (!send(Event.of("").comment("connected"))) {
      return;
    }
    while (!halted()) {
      long polledAt = System.nanoTime();
      boolean full = false;
      if (filter != null && hasDemand()) {
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
      sleepAfterPoll(polledAt);
    }
  }
}
