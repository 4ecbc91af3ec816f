package dev.taskpilot.api.events;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.api.tasks.TaskService;
import dev.taskpilot.api.tasks.TaskView;
import dev.taskpilot.store.OutputLineRecord;
import dev.taskpilot.store.OutputLineRepository;
import dev.taskpilot.store.TaskChanges;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.TaskStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.type.Argument;
import io.micronaut.http.sse.Event;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens task event streams (see {@link TaskEventsController}) and is what they read: the task's
 * projection version, the task resource and its output lines, all from PostgreSQL. Each open stream
 * polls on a virtual thread of its own; they are ended when the application stops.
 *
 * <p>Configuration: {@code taskpilot.api.events-poll-interval} (default 100ms) is how often a
 * stream reads the database while it has nothing to send; {@code taskpilot.api.events-keep-alive}
 * (default 15s) is how long a stream may stay silent before it sends a comment.
 */
@Singleton
public class TaskEvents {
  private static final Logger log = LoggerFactory.getLogger(TaskEvents.class);
  private static final int SNAPSHOT_ATTEMPTS = 3;

  private final TaskRepository tasks;
  private final OutputLineRepository output;
  private final TaskService service;
  private final JsonMapper jsonMapper;
  private final Duration pollInterval;
  private final Duration keepAlive;
  private final int maxStreams;
  private final Set<OpenStream> open = ConcurrentHashMap.newKeySet();
  private final TaskChanges changes;
  private final ChangeEventStream.Source changeSource = new ChangeSource();
  private final TaskEventStream.Source source = new Source();
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("task-events-", 0).factory());

  public TaskEvents(
      TaskRepository tasks,
      OutputLineRepository output,
      TaskService service,
      TaskChanges changes,
      JsonMapper json,
      @Value("${taskpilot.api.events-poll-interval:100ms}") Duration pollInterval,
      @Value("${taskpilot.api.events-keep-alive:15s}") Duration keepAlive,
      @Value("${taskpilot.api.max-event-streams:200}") int maxStreams,
      MeterRegistry meters) {
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException(
          "taskpilot.api.events-poll-interval must be positive: " + pollInterval);
    }
    if (keepAlive.isNegative() || keepAlive.isZero()) {
      throw new IllegalArgumentException(
          "taskpilot.api.events-keep-alive must be positive: " + keepAlive);
    }
    this.tasks = tasks;
    this.output = output;
    this.service = service;
    this.changes = changes;
    this.jsonMapper = json;
    this.pollInterval = pollInterval;
    this.keepAlive = keepAlive;
    this.maxStreams = maxStreams;
    Gauge.builder("taskpilot.sse.streams.open", open, Set::size)
        .description("Event streams (SSE, per task and global) open on this server")
        .register(meters);
  }

  /**
   * The event stream of a task from where {@code lastEventId} left off (from the start when null or
   * blank). Nothing is read until it is subscribed to.
   *
   * @throws ApiException {@code VALIDATION_FAILED} for a malformed id, {@code NOT_FOUND} for an
   *     unknown task or another owner's, {@code TOO_MANY_STREAMS} (503, with Retry-After) when
   *     {@code taskpilot.api.max-event-streams} streams are open already: each polls PostgreSQL
   */
  public Publisher<Event<String>> open(Caller caller, String taskId, String lastEventId) {
    EventCursor from = EventCursor.parse(lastEventId);
    if (open.size() >= maxStreams) {
      throw new ApiException(
          ErrorCode.TOO_MANY_STREAMS,
          maxStreams + " event streams are open on this server; try again shortly");
    }
    // 404 for an unknown task and for another owner's alike.
    service.requireVisible(caller, taskId);
    return new TaskEventStream(source, taskId, from, pollInterval, keepAlive);
  }

  /**
   * The global event stream of the tasks the caller sees that match the filter (see {@link
   * TaskService#filter}), from where {@code lastEventId} left off, or from now when it is null or
   * blank. Nothing is read until it is subscribed to. Counts toward {@code
   * taskpilot.api.max-event-streams} like a task's stream.
   *
   * @throws ApiException {@code VALIDATION_FAILED} for a malformed id or filter, {@code
   *     TOO_MANY_STREAMS} when too many streams are open
   */
  public Publisher<Event<String>> openAll(
      Caller caller, String status, String label, String agent, String owner, String lastEventId) {
    TaskChanges.Position from = ChangeCursor.parse(lastEventId);
    TaskService.Filter filter = service.filter(caller, status, label, agent, owner);
    if (open.size() >= maxStreams) {
      throw new ApiException(
          ErrorCode.TOO_MANY_STREAMS,
          maxStreams + " event streams are open on this server; try again shortly");
    }
    TaskChanges.Filter rows =
        filter.none()
            ? null
            : new TaskChanges.Filter(
                filter.owner(), filter.status(), filter.label(), filter.agent());
    return new ChangeEventStream(
        changeSource, rows, from == null ? changes.start() : from, pollInterval, keepAlive);
  }

  /** How many streams are open now. */
  public int openStreams() {
    return open.size();
  }

  /** What the streams read and how they run, kept off this class's public surface. */
  private final class Source implements TaskEventStream.Source {
    @Override
    public void start(TaskEventStream stream) {
      launch(stream, "event stream of task " + stream.taskId());
    }

    @Override
    public void ended(TaskEventStream stream) {
      forget(stream, "event stream of task " + stream.taskId());
    }

    @Override
    public OptionalLong version(String taskId) {
      return tasks.findVersionById(taskId).map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }

    /**
     * Reads the resource between two reads of the version; when they agree, the resource is that
     * version's. After a few changes in a row it is labelled with the older version read, so a
     * client may get a state twice but never misses one.
     */
    @Override
    public TaskEventStream.Snapshot snapshot(String taskId, long version) {
      long before = version;
      for (int attempt = 1; ; attempt++) {
        TaskView view;
        try {
          view = service.get(Caller.INTERNAL, taskId);
        } catch (ApiException e) {
          if (e.code() == ErrorCode.NOT_FOUND) {
            return null;
          }
          throw e;
        }
        OptionalLong after = version(taskId);
        if (after.isEmpty()) {
          return null;
        }
        if (after.getAsLong() == before || attempt == SNAPSHOT_ATTEMPTS) {
          boolean terminal = TaskStatus.valueOf(view.status()).isTerminal();
          return new TaskEventStream.Snapshot(before, terminal, write(TaskView.class, view));
        }
        before = after.getAsLong();
      }
    }

    @Override
    public List<OutputLineRecord> linesAfter(String taskId, long after, int limit) {
      return output.findAfter(taskId, after, limit);
    }

    @Override
    public String json(OutputEventData data) {
      return write(OutputEventData.class, data);
    }

    private <T> String write(Class<T> type, T value) {
      try {
        return jsonMapper.writeValueAsString(Argument.of(type), value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** What the global streams read and how they run. */
  private final class ChangeSource implements ChangeEventStream.Source {
    @Override
    public TaskChanges.Page after(
        TaskChanges.Position position, TaskChanges.Filter filter, int limit) {
      return changes.after(position, filter, limit);
    }

    @Override
    public String json(TaskChanges.Changed changed) {
      try {
        return jsonMapper.writeValueAsString(
            Argument.of(TaskView.class), TaskService.view(changed.task()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void start(ChangeEventStream stream) {
      launch(stream, "global event stream");
    }

    @Override
    public void ended(ChangeEventStream stream) {
      forget(stream, "global event stream");
    }
  }

  /** Counts a stream open and runs its loop on a thread of its own (both kinds alike). */
  private void launch(PolledEventStream stream, String what) {
    open.add(stream);
    try {
      threads.execute(stream::run);
    } catch (RuntimeException e) {
      open.remove(stream);
      throw e;
    }
    log.debug("{} opened ({} open)", what, open.size());
  }

  private void forget(PolledEventStream stream, String what) {
    open.remove(stream);
    log.debug("{} ended ({} open)", what, open.size());
  }

  /** Ends every open stream normally (clients reconnect elsewhere with their Last-Event-ID). */
  @PreDestroy
  void close() {
    open.forEach(OpenStream::close);
    threads.shutdown();
    try {
      if (!threads.awaitTermination(2, TimeUnit.SECONDS)) {
        threads.shutdownNow();
      }
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
