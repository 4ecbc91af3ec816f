package dev.taskpilot.workflows.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A schedule fires at its cron's instants in its zone, each once, on the environment's clock. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduleWorkflowFiringTest {

  @Test
  void shouldFireFiveTimesAtNineWhenWeekdayCronRunsForAWeek() {
    // given: Sunday noon; 09:00 in Berlin is 08:00Z in January
    try (ScheduleTestEnvironment env =
        new ScheduleTestEnvironment(Instant.parse("2026-01-04T12:00:00Z"))) {
      ScheduleWorkflow schedule =
          env.create("0 9 * * 1-5", "Europe/Berlin", OverlapPolicy.SKIP, false);

      // when
      env.sleep(Duration.ofDays(7));

      // then
      List<Instant> expected =
          List.of(
              Instant.parse("2026-01-05T08:00:00Z"),
              Instant.parse("2026-01-06T08:00:00Z"),
              Instant.parse("2026-01-07T08:00:00Z"),
              Instant.parse("2026-01-08T08:00:00Z"),
              Instant.parse("2026-01-09T08:00:00Z"));
      assertThat(env.activities.startedFireTimes()).isEqualTo(expected);
      assertThat(env.activities.startedTaskIds())
          .containsExactly(
              "sch-test-20260105T080000Z",
              "sch-test-20260106T080000Z",
              "sch-test-20260107T080000Z",
              "sch-test-20260108T080000Z",
              "sch-test-20260109T080000Z");
      for (FakeScheduleActivities.Start start : env.activities.startCalls()) {
        assertThat(start.at())
            .as("started on the environment's clock at its fire time, not before")
            .isBetween(start.request().fireTime(), start.request().fireTime().plusSeconds(59));
      }
      ScheduleState state = schedule.state();
      assertThat(state.nextFireTime()).isEqualTo(Instant.parse("2026-01-12T08:00:00Z"));
      assertThat(state.lastFireTime()).isEqualTo(expected.getLast());
      assertThat(env.activities.states().getLast().nextFireTime())
          .as("next_fire_time kept current in PostgreSQL")
          .isEqualTo(Instant.parse("2026-01-12T08:00:00Z"));
    }
  }

  @ParameterizedTest(name = "{0} {1} from {2}")
  @CsvSource({
    // spring forward: 02:30 does not exist; fires once at the shifted 03:30
    "Europe/Berlin, 30 2 * * *, 2026-03-28T12:00:00Z, 2026-03-29, 2026-03-29T01:30:00Z",
    "America/New_York, 30 2 * * *, 2026-03-07T17:00:00Z, 2026-03-08, 2026-03-08T07:30:00Z",
    // fall back: the repeated local time fires once, at its first occurrence
    "Europe/Berlin, 30 2 * * *, 2026-10-24T12:00:00Z, 2026-10-25, 2026-10-25T00:30:00Z",
    "America/New_York, 30 1 * * *, 2026-10-31T16:00:00Z, 2026-11-01, 2026-11-01T05:30:00Z",
    "America/New_York, 30 2 * * *, 2026-10-31T16:00:00Z, 2026-11-01, 2026-11-01T07:30:00Z"
  })
  void shouldFireOnceOnTheDstDayWhenLocalTimeIsSkippedOrRepeated(
      String zone, String cron, String start, String dstDay, String expectedFire) {
    // given
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(Instant.parse(start))) {
      env.create(cron, zone, OverlapPolicy.ALLOW_ALL, false);

      // when: three days
      env.sleep(Duration.ofDays(3));

      // then: one fire per local day, the DST day's at the expected instant
      List<Instant> fires = env.activities.startedFireTimes();
      assertThat(fires).hasSize(3).doesNotHaveDuplicates();
      ZoneId zoneId = ZoneId.of(zone);
      List<Instant> onDstDay =
          fires.stream()
              .filter(fire -> fire.atZone(zoneId).toLocalDate().equals(LocalDate.parse(dstDay)))
              .toList();
      assertThat(onDstDay).containsExactly(Instant.parse(expectedFire));
    }
  }

  @Test
  void shouldRecordStartFailedAndGoOnWhenAStartIsRefusedForGood() {
    // given
    try (ScheduleTestEnvironment env =
        new ScheduleTestEnvironment(Instant.parse("2026-01-05T07:30:00Z"))) {
      env.activities.refusedTaskId = "sch-test-20260105T080000Z";
      env.create("0 * * * *", "UTC", OverlapPolicy.SKIP, false);

      // when
      env.sleep(Duration.ofHours(2));

      // then
      assertThat(env.activities.skipped(SkipReason.START_FAILED))
          .containsExactly(Instant.parse("2026-01-05T08:00:00Z"));
      assertThat(env.activities.startedFireTimes())
          .containsExactly(Instant.parse("2026-01-05T09:00:00Z"));
    }
  }
}
