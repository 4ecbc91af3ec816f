package dev.taskpilot.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.testing.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The queries of the task reconciler and of a create that takes its row back. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnstartedTaskRowsTest implements TestPropertyProvider {
  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

  @Inject TaskRepository tasks;
  @Inject TaskSecrets secrets;

  @Override
  public Map<String, String> getProperties() {
    return TestDatabase.freshDatasourceProperties();
  }

  @Test
  void shouldFindOnlyRowsNoWorkflowWroteWhenTheyAreOlderThanTheCutoff() {
    // given: unstarted rows old and new, a row a workflow wrote, a row in another status
    tasks.save(TaskRepositoryTest.task("u-old", T0, "PLANNING"));
    tasks.save(TaskRepositoryTest.task("u-older", T0.minusSeconds(5), "PLANNING"));
    tasks.save(TaskRepositoryTest.task("u-new", T0.plusSeconds(120), "PLANNING"));
    tasks.save(TaskRepositoryTest.task("u-written", T0, "PLANNING"));
    tasks.applyState("u-written", 1, "PLANNING", null, 5, null, null, null, null, null, null, T0);
    tasks.save(TaskRepositoryTest.task("u-failed", T0, "FAILED"));

    // when
    var found = tasks.findUnstarted(T0.plusSeconds(60), 10);

    // then: least recently touched first
    assertThat(found).extracting(TaskRecord::id).containsExactly("u-older", "u-old");
  }

  @Test
  void shouldLetOneClaimWinWhenTwoProcessesClaimTheSameRow() {
    // given
    tasks.save(TaskRepositoryTest.task("c-row", T0, "PLANNING"));

    // when: two claims from the value both read
    int first = tasks.claimUnstarted("c-row", T0, T0.plusSeconds(61));
    int second = tasks.claimUnstarted("c-row", T0, T0.plusSeconds(62));

    // then
    assertThat(first).isEqualTo(1);
    assertThat(second).isZero();
    assertThat(tasks.findById("c-row").orElseThrow().updatedAt()).isEqualTo(T0.plusSeconds(61));
  }

  @Test
  void shouldKeepAClaimedRowWhenItsCreateTakesItBack() {
    // given: one row claimed by a reconciler, one untouched, both with a secret
    tasks.save(TaskRepositoryTest.task("d-claimed", T0, "PLANNING"));
    tasks.save(TaskRepositoryTest.task("d-untouched", T0, "PLANNING"));
    secrets.put("d-claimed", "webhook", "s1", T0);
    secrets.put("d-untouched", "webhook", "s2", T0);
    tasks.claimUnstarted("d-claimed", T0, T0.plusSeconds(61));

    // when: their creates take them back with the value they wrote
    int claimed = tasks.deleteUnstarted("d-claimed", T0);
    int untouched = tasks.deleteUnstarted("d-untouched", T0);

    // then: only the untouched row went, with its secret
    assertThat(claimed).isZero();
    assertThat(untouched).isEqualTo(1);
    assertThat(tasks.existsById("d-claimed")).isTrue();
    assertThat(tasks.existsById("d-untouched")).isFalse();
    assertThat(secrets.find("d-claimed", "webhook")).hasValue("s1");
    assertThat(secrets.find("d-untouched", "webhook")).isEmpty();
  }

  @Test
  void shouldNotTakeBackARowAWorkflowWrote() {
    // given
    tasks.save(TaskRepositoryTest.task("w-row", T0, "PLANNING"));
    tasks.applyState("w-row", 1, "PLANNING", null, 5, null, null, null, null, null, null, T0);

    // when
    int removed = tasks.deleteUnstarted("w-row", T0);
    int claimed = tasks.claimUnstarted("w-row", T0, T0.plusSeconds(61));

    // then
    assertThat(removed).isZero();
    assertThat(claimed).isZero();
    assertThat(tasks.existsById("w-row")).isTrue();
  }
}
