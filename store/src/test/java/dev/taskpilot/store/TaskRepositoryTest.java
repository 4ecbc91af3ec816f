package dev.taskpilot.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.testing.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskRepositoryTest implements TestPropertyProvider {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

  @Inject TaskRepository tasks;
  @Inject OutputLineRepository output;

  @Override
  public Map<String, String> getProperties() {
    return TestDatabase.freshDatasourceProperties();
  }

  static TaskRecord task(String id, Instant createdAt, String status, String... labels) {
    return new TaskRecord(
        id,
        "default",
        "title " + id,
        "prompt " + id,
        "example",
        null,
        labels,
        status,
        null,
        5,
        null,
        null,
        null,
        null,
        null,
        null,
        "{\"prompt\":\"p\"}",
        null,
        "hash",
        0,
        createdAt,
        createdAt);
  }

  @Test
  void shouldApplyOnlyNewerVersionsWhenStatesArriveOutOfOrder() {
    // given
    tasks.save(task("t-order", T0, "PLANNING"));
    // when
    int second =
        tasks.applyState(
            "t-order",
            2,
            "SCHEDULED",
            null,
            7,
            T0,
            null,
            "{\"priority\":7}",
            null,
            null,
            null,
            T0.plusSeconds(2));
    int first =
        tasks.applyState(
            "t-order",
            1,
            "PLANNING",
            null,
            5,
            null,
            null,
            null,
            null,
            null,
            null,
            T0.plusSeconds(1));
    int repeated =
        tasks.applyState(
            "t-order",
            2,
            "SCHEDULED",
            null,
            7,
            T0,
            null,
            "{\"priority\":7}",
            null,
            null,
            null,
            T0.plusSeconds(2));
    // then
    assertThat(List.of(second, first, repeated)).containsExactly(1, 0, 0);
    TaskRecord stored = tasks.findById("t-order").orElseThrow();
    assertThat(stored.status()).isEqualTo("SCHEDULED");
    assertThat(stored.version()).isEqualTo(2);
    assertThat(stored.priority()).isEqualTo(7);
    assertThat(stored.plan()).contains("\"priority\"").contains("7");
  }

  @Test
  void shouldPageNewestFirstWithFiltersWhenListing() {
    // given
    for (int i = 0; i < 5; i++) {
      tasks.save(
          task(
              "t-page-" + i,
              T0.plus(i, ChronoUnit.MINUTES),
              i % 2 == 0 ? "SCHEDULED" : "SUCCEEDED",
              i < 3 ? "blue" : "green",
              "paging"));
    }
    // when
    List<TaskRecord> firstPage = tasks.findPage(null, null, "blue", null, null, null, 2);
    TaskRecord last = firstPage.get(1);
    List<TaskRecord> secondPage =
        tasks.findPage(null, null, "blue", null, last.createdAt(), last.id(), 2);
    List<TaskRecord> scheduled = tasks.findPage(null, "SCHEDULED", "paging", null, null, null, 10);
    // then
    assertThat(firstPage).extracting(TaskRecord::id).containsExactly("t-page-2", "t-page-1");
    assertThat(secondPage).extracting(TaskRecord::id).containsExactly("t-page-0");
    assertThat(scheduled)
        .extracting(TaskRecord::id)
        .containsExactly("t-page-4", "t-page-2", "t-page-0");
  }

  @Test
  void shouldFindTaskByIdempotencyKeyWhenOwnerMatches() {
    // given
    TaskRecord keyed = task("t-key", T0, "PLANNING");
    tasks.save(
        new TaskRecord(
            keyed.id(),
            keyed.owner(),
            keyed.title(),
            keyed.prompt(),
            keyed.agent(),
            null,
            keyed.labels(),
            keyed.status(),
            null,
            5,
            null,
            null,
            null,
            null,
            null,
            null,
            keyed.request(),
            "key-1",
            "hash-1",
            0,
            T0,
            T0));
    // when / then
    assertThat(tasks.findByOwnerAndIdempotencyKey("default", "key-1")).isPresent();
    assertThat(tasks.findByOwnerAndIdempotencyKey("someone-else", "key-1")).isEmpty();
  }

  @Test
  void shouldReturnOutputLinesAfterAGivenLineWhenReading() {
    // given
    tasks.save(task("t-out", T0, "RUNNING"));
    output.saveAll(
        List.of(
            new OutputLineRecord(null, "t-out", 1, 1, "one", T0),
            new OutputLineRecord(null, "t-out", 2, 1, "two", T0),
            new OutputLineRecord(null, "t-out", 3, 2, "three", T0)));
    // when
    List<OutputLineRecord> after1 = output.findAfter("t-out", 1, 100);
    // then
    assertThat(after1).extracting(OutputLineRecord::text).containsExactly("two", "three");
    assertThat(output.lastLineNumber("t-out")).isEqualTo(3);
    assertThat(output.lastLineNumber("t-none")).isZero();
  }
}
