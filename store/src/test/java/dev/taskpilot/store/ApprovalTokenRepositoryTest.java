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

/** Approval tokens and the notification audit on real PostgreSQL. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalTokenRepositoryTest implements TestPropertyProvider {
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

  @Inject TaskRepository tasks;
  @Inject ApprovalTokenRepository tokens;
  @Inject NotificationRepository notifications;

  @Override
  public Map<String, String> getProperties() {
    return TestDatabase.freshDatasourceProperties();
  }

  @Test
  void shouldUseATokenOnlyOnceWhenMarkedTwice() {
    // given
    tasks.save(TaskRepositoryTest.task("t-token", T0, "AWAITING_APPROVAL"));
    String hash = ApprovalTokenHash.of("some-token");
    tokens.add(hash, "t-token", 1, T0);
    // when
    int first = tokens.markUsed(hash, T0.plusSeconds(5), "approve");
    int second = tokens.markUsed(hash, T0.plusSeconds(9), "reject");
    // then
    assertThat(first).isEqualTo(1);
    assertThat(second).isZero();
    ApprovalTokenRecord used = tokens.findByTokenHash(hash).orElseThrow();
    assertThat(used.usedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(used.usedFor()).isEqualTo("approve");
    assertThat(used.gate()).isEqualTo(1);
    assertThat(tokens.findByTaskIdAndGateOrderByCreatedAt("t-token", 1)).hasSize(1);
    assertThat(tokens.findByTokenHash(ApprovalTokenHash.of("other"))).isEmpty();
  }

  @Test
  void shouldHashTokensAsLowerCaseHexSha256() {
    // when
    String hash = ApprovalTokenHash.of("abc");
    // then: the well-known SHA-256 of "abc"
    assertThat(hash).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void shouldListAuditRowsInOrderWhenSeveralAttemptsWereMade() {
    // given
    tasks.save(TaskRepositoryTest.task("t-audit", T0, "FAILED"));
    notifications.save(
        new NotificationRecord(null, "t-audit", "ntfy:x", "FAILED", 1, "FAILED", 503, "503", T0));
    notifications.save(
        new NotificationRecord(
            null, "t-audit", "ntfy:x", "FAILED", 2, "SENT", 200, null, T0.plusSeconds(1)));
    // when
    var rows = notifications.findByTaskIdOrderById("t-audit");
    // then
    assertThat(rows).extracting(NotificationRecord::attempt).containsExactly(1, 2);
    assertThat(rows).extracting(NotificationRecord::outcome).containsExactly("FAILED", "SENT");
    assertThat(rows.get(0).httpStatus()).isEqualTo(503);
    assertThat(rows.get(1).error()).isNull();
  }
}
