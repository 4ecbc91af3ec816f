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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import org.reactivestreams.Publisher;

/**
 * {@code GET /api/v1/events}: every change of the tasks the caller sees (an admin: all, others:
 * their own), as {@code text/event-stream}, for dashboards.
 *
 * <ul>
 *   <li>{@code event: status}, {@code data:} the task resource (as {@code GET /api/v1/tasks/{id}}
 *       answers it) each time a task's row was written after the stream opened (created, projected,
 *       restarted), matching the optional filters {@code status}, {@code label}, {@code agent},
 *       {@code owner} (as the task list checks them) on its new state. Snapshots: a task written
 *       several times between two polls may be sent once, in its latest state.
 *   <li>A comment ({@code : keep-alive}) after {@code taskpilot.api.events-keep-alive} of silence.
 * </ul>
 *
 * <p>The stream never ends by itself. Each event's {@code id} is {@code <xid>.<taskId>}: the
 * PostgreSQL transaction that wrote the state and the task, the position of the write in commit
 * order as far as it is certain (see {@link dev.taskpilot.store.TaskChanges}); {@code
 * Last-Event-ID} resumes after it with no write missed (a write may be sent again). A malformed id
 * or filter answers 400 {@code VALIDATION_FAILED}. It polls every {@code
 * taskpilot.api.events-poll-interval} and counts toward {@code taskpilot.api.max-event-streams}.
 */
@Controller("/api/v1/events")
@Secured(Roles.VIEWER)
class ChangeEventsController {
  private final TaskEvents events;

  ChangeEventsController(TaskEvents events) {
    this.events = events;
  }

  @Get(produces = MediaType.TEXT_EVENT_STREAM)
  @ExecuteOn(TaskExecutors.BLOCKING)
  HttpResponse<Publisher<Event<String>>> events(
      Caller caller,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String label,
      @Nullable @QueryValue String agent,
      @Nullable @QueryValue String owner,
      @Nullable @Header("Last-Event-ID") String lastEventId) {
    return HttpResponse.ok(events.openAll(caller, status, label, agent, owner, lastEventId))
        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
        .header("X-Accel-Buffering", "no");
  }
}
