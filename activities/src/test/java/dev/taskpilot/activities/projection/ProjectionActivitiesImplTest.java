package dev.taskpilot.activities.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.TaskRepository;
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

/** The projection counts a task as finished once, however often its terminal state is written. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProjectionActivitiesImplTest implements TestPropertyProvider {
  @Inject ProjectionActivitiesImpl projection;
  @Inject TaskRepository tasks;
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

  private double finished(String status) {
    var counter = meters.find("taskpilot.tasks.finished").tag("status", status).counter();
    return counter == null ? 0 : counter.count();
  }

  private static TaskState state(String id, long version, TaskStatus status) {
    return new TaskState(
        id, version, status, "why", 5, null, null, null, null, null, null, Instant.now());
  }
}
