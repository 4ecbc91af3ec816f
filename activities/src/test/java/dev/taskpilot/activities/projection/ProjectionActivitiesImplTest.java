package dev.taskpilot.activities.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.TaskStatusChanges;
import dev.taskpilot.store.testing.TaskRows;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.task.TaskState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The projection counts a task as finished once, however often its terminal state is written, and
 * keeps the task's status timeline.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionActivitiesImplTest implements TestPropertyProvider {
  @Inject ProjectionActivitiesImpl projection;
  @Inject TaskRepository tasks;
  @Inject TaskStatusChanges changes;
  @Inject MeterRegistry meters;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(TestDatabase.freshDatasourceProperties());
    properties.put("taskpilot.worker.enabled", "false");
    return properties;
  }

  @Test
  void shouldCountAFinishedTaskOnceWhenItsTerminalStateIsWrittenAgain() {
    // given: a running task
    String id = TaskRows.insert(tasks, "RUNNING");
    double before = finished("FAILED");

    // when: it fails, the same state is written again (a retried activity), then a later version
    projection.record(state(id, 2, TaskStatus.FAILED));
    projection.record(state(id, 2, TaskStatus.FAILED));
    projection.record(state(id, 3, TaskStatus.FAILED));

    // then
    assertThat(finished("FAILED") - before).isEqualTo(1.0);
    assertThat(tasks.findById(id).orElseThrow().version()).isEqualTo(3);
  }

  @Test
  void shouldAddATimelineEntryOncePerStatusOrReasonChangeAndNoneForRepeatedWrites() {
    // given: a task row with its first entry, as the API writes it
    String id = TaskRows.insert(tasks, "PLANNING");
    changes.initial(tasks.findById(id).orElseThrow());

    // when: a change, the same write again, a stale one, one changing nothing, a new reason
    projection.record(state(id, 1, TaskStatus.SCHEDULED, null));
    projection.record(state(id, 1, TaskStatus.SCHEDULED, null));
    projection.record(state(id, 3, TaskStatus.SCHEDULED, null));
    projection.record(state(id, 2, TaskStatus.RUNNING, null));
    projection.record(state(id, 4, TaskStatus.PAUSED, "by hand"));
    projection.record(state(id, 5, TaskStatus.PAUSED, "by hand"));
    projection.record(state(id, 6, TaskStatus.PAUSED, "still"));

    // then
    assertThat(changes.of(id))
        .extracting(c -> c.version() + " " + c.status() + " " + c.reason())
        .containsExactly(
            "0 PLANNING null", "1 SCHEDULED null", "4 PAUSED by hand", "6 PAUSED still");
    // and the task's rows go with it
    tasks.deleteById(id);
    assertThat(changes.of(id)).isEmpty();
  }

  private double finished(String status) {
    var counter = meters.find("taskpilot.tasks.finished").tag("status", status).counter();
    return counter == null ? 0 : counter.count();
  }

  private static TaskState state(String id, long version, TaskStatus status) {
    return state(id, version, status, "why");
  }

  private static TaskState state(String id, long version, TaskStatus status, String reason) {
    return new TaskState(
        id, version, status, reason, 5, null, null, null, null, null, null, Instant.now());
  }
}
