package dev.taskpilot.workflows.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every 10 minutes from 00:10, with runs that last 25 minutes: each overlap policy over 59 minutes
 * (fires at 00:10, 00:20, 00:30, 00:40, 00:50).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduleWorkflowOverlapTest {
  private static final Instant MIDNIGHT = Instant.parse("2026-01-05T00:00:00Z");
  private ScheduleTestEnvironment env;

  @BeforeEach
  void setUp() {
    env = new ScheduleTestEnvironment(MIDNIGHT);
    env.activities.runLength = Duration.ofMinutes(25);
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private static Instant at(String time) {
    return Instant.parse("2026-01-05T" + time + "Z");
  }

  private ScheduleWorkflow runFor59Minutes(OverlapPolicy overlap) {
    ScheduleWorkflow schedule = env.create("*/10 * * * *", "UTC", overlap, false);
    env.sleep(Duration.ofMinutes(59));
    return schedule;
  }

  @Test
  void shouldSkipFiresWhilePreviousRunIsActiveWhenPolicyIsSkip() {
    // when
    runFor59Minutes(OverlapPolicy.SKIP);
    // then: the 00:10 run ends 00:35, the 00:40 run is still going at 00:50
    assertThat(env.activities.startedFireTimes()).containsExactly(at("00:10:00"), at("00:40:00"));
    assertThat(env.activities.skipped(SkipReason.OVERLAP))
        .containsExactly(at("00:20:00"), at("00:30:00"), at("00:50:00"));
  }

  @Test
  void shouldStartOneBufferedFireWhenPreviousRunEndsWhenPolicyIsBufferOne() {
    // when
    ScheduleWorkflow schedule = runFor59Minutes(OverlapPolicy.BUFFER_ONE);
    // then: 00:20 waits and starts when the 00:10 run ends at 00:35; 00:30 finds the buffer full;
    // 00:40 is buffered behind the 00:20 run (ends ~01:00), 00:50 skipped
    assertThat(env.activities.startedFireTimes()).containsExactly(at("00:10:00"), at("00:20:00"));
    Instant bufferedStart = env.activities.startCalls().get(1).at();
    assertThat(bufferedStart).isBetween(at("00:35:00"), at("00:35:06"));
    assertThat(env.activities.skipped(SkipReason.OVERLAP))
        .containsExactly(at("00:30:00"), at("00:50:00"));
    assertThat(schedule.state().bufferedFire()).isEqualTo(at("00:40:00"));
  }

  @Test
  void shouldStartEveryFireWhenPolicyIsAllowAll() {
    // when
    runFor59Minutes(OverlapPolicy.ALLOW_ALL);
    // then
    assertThat(env.activities.startedFireTimes())
        .containsExactly(
            at("00:10:00"), at("00:20:00"), at("00:30:00"), at("00:40:00"), at("00:50:00"));
    assertThat(env.activities.skipped(SkipReason.OVERLAP)).isEmpty();
    assertThat(env.activities.cancels()).isEmpty();
  }

  @Test
  void shouldCancelPreviousRunBeforeStartingWhenPolicyIsCancelOther() {
    // when
    runFor59Minutes(OverlapPolicy.CANCEL_OTHER);
    // then
    assertThat(env.activities.startedFireTimes()).hasSize(5);
    assertThat(env.activities.cancels())
        .containsExactly(
            "sch-test-20260105T001000Z",
            "sch-test-20260105T002000Z",
            "sch-test-20260105T003000Z",
            "sch-test-20260105T004000Z");
  }
}
