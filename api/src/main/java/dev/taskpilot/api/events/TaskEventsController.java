package dev.taskpilot.api.events;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import org.reactivestreams.Publisher;

/**
 * {@code GET /api/v1/tasks/{id}/events}: a task's live events as {@code text/event-stream}.
 *
 * <h2>Events</h2>
 *
 * <ul>
 *   <li>{@code event: status}, {@code data:} the task resource (as {@code GET /api/v1/tasks/{id}}
 *       answers it), whenever the task's projection {@code version} has changed. A stream opened
 *       without {@code Last-Event-ID} starts with one (the current state). Status events are
 *       snapshots: when the task changes several times between two polls, the client gets the
 *       latest state only.
 *   <li>{@code event: output}, {@code data: {"line": N, "text": "..."}}, for every line of the
 *       agent's output, in order, each exactly once.
 *   <li>A comment ({@code : keep-alive}) after {@code taskpilot.api.events-keep-alive} (15 s) of
 *       silence, so that proxies and clients see the connection is alive.
 * </ul>
 *
 * <p>Once the task is terminal ({@code SUCCEEDED}, {@code FAILED}, {@code CANCELLED}, {@code
 * REJECTED}) and all its output was sent, the stream sends the final {@code status} event (after
 * the last {@code output} event) and ends. A stream opened on a task that had already ended sends
 * the status first, then the output, then ends.
 *
 * <h2>Event ids and resuming</h2>
 *
 * <p>Every event carries one composite cursor as its {@code id}: {@code <version>.<line>}, the
 * projection version of the last status the client was sent and the number of the last output line
 * it was sent, as of that event (so {@code 7.42} after line 42 while the client knows version 7).
 * Both parts only grow. A client that reconnects with {@code Last-Event-ID: <version>.<line>} gets
 * the output lines after {@code line} and a status event only if the task's version is no longer
 * {@code version}: nothing it had is sent again, nothing after it is skipped, whichever of the two
 * kinds of event it saw last. A client resuming a stream that had ended gets nothing more and the
 * stream ends at once. One cursor on every event (rather than separate ids for the two kinds) is
 * what makes this work with the single {@code Last-Event-ID} the SSE protocol keeps. An id that is
 * not {@code <digits>.<digits>} is answered with 400 {@code VALIDATION_FAILED}; an unknown task
 * with 404 {@code NOT_FOUND}, both as {@code application/problem+json}.
 *
 * <h2>How</h2>
 *
 * <p>Each stream polls PostgreSQL every {@code taskpilot.api.events-poll-interval} (default 100 ms)
 * on a virtual thread of its own, reading at most 1000 output lines a poll and only as fast as the
 * client takes them (see {@link TaskEventStream}). No LISTEN/NOTIFY: an API node needs nothing but
 * the database to serve events, whichever worker produced them.
 */
@Controller("/api/v1/tasks")
@Secured(Roles.VIEWER)
class TaskEventsController {
  private final TaskEvents events;

  TaskEventsController(TaskEvents events) {
    this.events = events;
  }

  @Get(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<Publisher<Event<String>>> events(
      Caller caller,
      @PathVariable String id,
      @Nullable @Header("Last-Event-ID") String lastEventId) {
    return HttpResponse.ok(events.open(caller, id, lastEventId))
        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
        // nginx and the like would otherwise buffer the stream.
        .header("X-Accel-Buffering", "no");
  }
}
