package dev.taskpilot.api.events;

import dev.taskpilot.store.OutputLineRecord;
import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's event stream of one task: a single-subscriber {@link Publisher} whose events come
 * from polling PostgreSQL on a virtual thread of its own. See {@link TaskEventsController} for what
 * the client sees.
 *
 * <p>Every poll reads the task's projection version (one indexed single-column read), the task
 * resource when that version differs from the cursor's, and then at most {@value #PAGE} output
 * lines after the cursor. An event is only produced when the subscriber has asked for one, so a
 * slow client holds at most one page of lines here and the database is not read ahead of it: memory
 * per connection is bounded by a page.
 *
 * <p>Ordering: a status event for a new version goes out before the output lines read in the same
 * poll; a terminal status is held back until every output line was sent (the projection turns
 * terminal only after the agent's activity stored its last line, and lines are read after the
 * version, so a poll that sees the terminal version and finds no further line has sent them all),
 * then the stream completes. The first event of a stream without {@code Last-Event-ID} is always
 * the status, terminal or not.
 *
 * <p>Line numbers are dense (the runner numbers them 1, 2, 3, ... and stores them in order), so a
 * hole after the cursor can only be a batch not yet visible; the stream waits up to {@link
 * #GAP_GRACE} for it to show before it goes on without it, so that it never skips a line that a
 * later read would have found.
 *
 * <p>The subscription (demand, cancel, keep-alive, the thread's sleeps) is {@link
 * PolledEventStream}'s, shared with the global stream; this class holds the ordering rules.
 */
final class TaskEventStream extends PolledEventStream {
  /** The most output lines read (and held) at once. */
  static final int PAGE = 1000;

  /** How long a hole in the line numbers is waited for before the lines after it are sent. */
  static final Duration GAP_GRACE = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(TaskEventStream.class);

  /** What a stream reads: the task's version, its resource, its output lines. */
  interface Source {
    /** The task's projection version, empty once the task is gone. */
    OptionalLong version(String taskId);

    /** The task resource with the version it belongs to, null once the task is gone. */
    Snapshot snapshot(String taskId, long version);

    /** Up to {@code limit} output lines after line {@code after}, in order. */
    List<OutputLineRecord> linesAfter(String taskId, long after, int limit);

    /** The JSON of an output event's data. */
    String json(OutputEventData data);

    /** Runs the stream's loop; throws {@link RejectedExecutionException} when shutting down. */
    void start(TaskEventStream stream);

    /** The stream has ended, for whatever reason. */
    void ended(TaskEventStream stream);
  }

  /** The task resource as JSON, the version it was read at, and whether its status is terminal. */
  record Snapshot(long version, boolean terminal, String json) {}

  private final Source source;
  private final String taskId;

  // Touched by the stream's own thread only.
  private EventCursor cursor;

  TaskEventStream(
      Source source, String taskId, EventCursor from, Duration pollInterval, Duration keepAlive) {
    super(pollInterval, keepAlive);
    this.source = source;
    this.taskId = taskId;
    this.cursor = from;
  }

  String taskId() {
    return taskId;
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
    return "event stream of task " + taskId + " at " + cursor;
  }

  @Override
  void stream() {
    Snapshot pending = null; // a status not sent yet: a terminal one waits for the output
    boolean atTerminal = false; // whether the status the client has is terminal
    boolean statusKnown = !cursor.hasStatus(); // a resumed client's status is looked up first
    boolean inGap = false; // whether the unsent lines start after a hole in the numbers
    long gapSince = 0; // since when (System.nanoTime()), if inGap
    while (!halted()) {
      long polledAt = System.nanoTime();
      OptionalLong version = source.version(taskId);
      if (version.isEmpty()) {
        return; // the task is gone: nothing more will come
      }
      long current = version.getAsLong();
      if (current != cursor.version() && (pending == null || pending.version() != current)) {
        pending = source.snapshot(taskId, current);
        if (pending == null) {
          return;
        }
      } else if (!statusKnown && current == cursor.version()) {
        Snapshot seen = source.snapshot(taskId, current);
        if (seen == null) {
          return;
        }
        if (seen.version() == cursor.version()) {
          atTerminal = seen.terminal();
        } else {
          pending = seen;
        }
      }
      statusKnown = true;
      if (pending != null && (!pending.terminal() || !cursor.hasStatus())) {
        if (!sendStatus(pending)) {
          return;
        }
        atTerminal = pending.terminal();
        pending = null;
      }

      List<OutputLineRecord> page = source.linesAfter(taskId, cursor.line(), PAGE);
      boolean held = false;
      for (OutputLineRecord line : page) {
        if (line.lineNo() != cursor.line() + 1) {
          long now = System.nanoTime();
          if (!inGap) {
            inGap = true;
            gapSince = now;
          }
          if (now - gapSince < GAP_GRACE.toNanos()) {
            held = true;
            break;
          }
          log.warn(
              "task {}: output lines {} to {} never showed; going on without them",
              taskId,
              cursor.line() + 1,
              line.lineNo() - 1);
        }
        inGap = false;
        if (!sendOutput(line)) {
          return;
        }
      }

      if (!held) {
        boolean drained = page.size() < PAGE;
        if (!drained) {
          continue; // more lines are waiting: read on at once
        }
        if (pending != null && pending.terminal()) {
          sendStatus(pending);
          return;
        }
        if (atTerminal) {
          return;
        }
      }
      if (!keepAliveIfIdle()) {
        return;
      }
      sleepAfterPoll(polledAt);
    }
  }

  private boolean sendStatus(Snapshot snapshot) {
    cursor = cursor.withVersion(snapshot.version());
    return send(Event.of(snapshot.json()).name("status").id(cursor.id()));
  }

  private boolean sendOutput(OutputLineRecord line) {
    cursor = cursor.withLine(line.lineNo());
    String data = source.json(new OutputEventData(line.lineNo(), line.text()));
    return send(Event.of(data).name("output").id(cursor.id()));
  }
}
