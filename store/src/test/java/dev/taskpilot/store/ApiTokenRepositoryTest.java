package dev.taskpilot.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.testing.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** API tokens and the owner filter of the task list on real PostgreSQL. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTokenRepositoryTest implements TestPropertyProvider {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

  @Inject ApiTokenRepository tokens;
  @Inject TaskRepository tasks;

  @Override
  public Map<String, String> getProperties() {
    return TestDatabase.freshDatasourceProperties();
  }

  @Test
  void shouldRecordALastUseAtMostOnceAMinuteWhenTouchedOften() {
    // given
    tokens.add("tok_touch", ApprovalTokenHash.of("touch"), "alice", "viewer", T0, null);
    // when: a use, another 30 s later (the recorded one is newer than a minute before it), one
    // 61 s after the first
    int first = tokens.touch("tok_touch", T0.plusSeconds(1), T0.plusSeconds(1).minusSeconds(60));
    int soon = tokens.touch("tok_touch", T0.plusSeconds(31), T0.plusSeconds(31).minusSeconds(60));
    int later = tokens.touch("tok_touch", T0.plusSeconds(62), T0.plusSeconds(62).minusSeconds(60));
    // then
    assertThat(List.of(first, soon, later)).containsExactly(1, 0, 1);
    assertThat(tokens.findById("tok_touch").orElseThrow().lastUsedAt())
        .isEqualTo(T0.plusSeconds(62));
  }

  @Test
  void shouldRevokeOnceAndFindByHashWhenRevoked() {
    // given
    String hash = ApprovalTokenHash.of("revoke-me");
    tokens.add("tok_revoke", hash, "bob", "operator", T0, T0.plus(Duration.ofDays(30)));
    // when
    int first = tokens.revoke("tok_revoke", T0.plusSeconds(5));
    int second = tokens.revoke("tok_revoke", T0.plusSeconds(9));
    int unknown = tokens.revoke("tok_unknown", T0);
    // then
    assertThat(List.of(first, second, unknown)).containsExactly(1, 0, 0);
    ApiTokenRecord row = tokens.findByTokenHash(hash).orElseThrow();
    assertThat(row.revokedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(row.isActive(T0.plusSeconds(6))).isFalse();
    assertThat(row.owner()).isEqualTo("bob");
    assertThat(row.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(tokens.anyExists()).isTrue();
  }

  @Test
  void shouldNotBeActiveWhenExpired() {
    // given
    ApiTokenRecord expiring =
        new ApiTokenRecord("tok_x", "h", "o", "viewer", T0, null, T0.plusSeconds(60), null);
    // then
    assertThat(expiring.isActive(T0.plusSeconds(59))).isTrue();
    assertThat(expiring.isActive(T0.plusSeconds(60))).isFalse();
  }

  @Test
  void shouldListOnlyTheOwnersTasksWhenAnOwnerIsGiven() {
    // given
    TaskRecord alices = TaskRepositoryTest.task("t-owner-a", T0, "SCHEDULED", "owners");
    TaskRecord other = TaskRepositoryTest.task("t-owner-b", T0.plusSeconds(1), "SCHEDULED");
    tasks.save(alices);
    tasks.save(
        new TaskRecord(
            other.id(),
            "bob",
            other.title(),
            other.prompt(),
            other.agent(),
            other.workspace(),
            new String[] {"owners"},
            other.status(),
            null,
            other.priority(),
            null,
            null,
            null,
            null,
            null,
            null,
            other.request(),
            null,
            other.requestHash(),
            0,
            other.createdAt(),
            other.updatedAt()));
    // when
    List<TaskRecord> bobs = tasks.findPage("bob", null, "owners", null, null, null, 10);
    List<TaskRecord> everyones = tasks.findPage(null, null, "owners", null, null, null, 10);
    // then
    assertThat(bobs).extracting(TaskRecord::id).containsExactly("t-owner-b");
    assertThat(everyones).extracting(TaskRecord::id).containsExactly("t-owner-b", "t-owner-a");
  }
}
