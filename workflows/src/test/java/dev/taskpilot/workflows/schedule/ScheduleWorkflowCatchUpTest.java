package dev.taskpilot.workflows.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * After downtime (the schedule workflow started again from PostgreSQL, its last handled fire hours
 * ago), fires within the catch-up window run once each, oldest first; older ones are missed.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduleWorkflowCatchUpTest {
  private static final Instant NOW = Instant.parse("2026-01-05T12:00:30Z");

  private static Instant at(String time) {
    return Instant.parse("2026-01-05T" + time + "Z");
  }

  private static ScheduleInput restartedFromDatabase(Duration catchupWindow, Instant handledUntil) {
    return new ScheduleInput(
        ScheduleTestEnvironment.SCHEDULE_ID,
        new ScheduleSpec("0 * * * *", "UTC", OverlapPolicy.ALLOW_ALL, catchupWindow),
        false,
        handledUntil,
        handledUntil,
        null,
        null,
        0,
        7);
  }

  @Test
  void shouldRunMissedFiresOldestFirstWhenTheyAreInsideTheWindow() {
    // given: down since 10:30, window 150 minutes
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(NOW)) {
      // when
      env.start(restartedFromDatabase(Duration.ofMinutes(150), at("10:30:00")));
      env.sleep(Duration.ofMinutes(70));

      // then: 11:00 and 12:00 caught up in order, then 13:00 on time
      assertThat(env.activities.startedFireTimes())
          .containsExactly(at("11:00:00"), at("12:00:00"), at("13:00:00"));
      assertThat(env.activities.skipped(SkipReason.MISSED)).isEmpty();
      assertThat(env.activities.startCalls().get(0).at()).isBefore(at("12:01:00"));
    }
  }

  @Test
  void shouldRecordOlderFiresAsMissedWhenTheyAreOutsideTheWindow() {
    // given: down since 06:30, window 150 minutes (back to 09:30:30)
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(NOW)) {
      // when
      env.start(restartedFromDatabase(Duration.ofMinutes(150), at("06:30:00")));
      env.sleep(Duration.ofMinutes(10));

      // then
      assertThat(env.activities.skipped(SkipReason.MISSED))
          .containsExactly(at("07:00:00"), at("08:00:00"), at("09:00:00"));
      assertThat(env.activities.startedFireTimes())
          .containsExactly(at("10:00:00"), at("11:00:00"), at("12:00:00"));
    }
  }

  @Test
  void shouldStillRunAFireSecondsLateWhenWindowIsZero() {
    // given: down since 09:30, no catch-up wanted
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(NOW)) {
      // when
      env.start(restartedFromDatabase(Duration.ZERO, at("09:30:00")));
      env.sleep(Duration.ofMinutes(10));

      // then: 12:00 is 30 s late, within the one-minute minimum; the others are missed
      assertThat(env.activities.skipped(SkipReason.MISSED))
          .containsExactly(at("10:00:00"), at("11:00:00"));
      assertThat(env.activities.startedFireTimes()).containsExactly(at("12:00:00"));
    }
  }
}
