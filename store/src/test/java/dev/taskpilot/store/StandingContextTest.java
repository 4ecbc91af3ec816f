package dev.taskpilot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The standing context and the way its row spells it. */
class StandingContextTest {
  private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

  @Test
  void shouldReadBackWhatItWrites() {
    // given
    StandingContext context =
        new StandingContext(
            ZoneId.of("Europe/Berlin"),
            LocalTime.of(9, 0),
            LocalTime.of(17, 30),
            List.of(DayOfWeek.TUESDAY, DayOfWeek.MONDAY, DayOfWeek.TUESDAY),
            true,
            null);
    // when
    OwnerContextRecord row = context.toRecord("alice", NOW);
    // then
    assertThat(row.timeZone()).isEqualTo("Europe/Berlin");
    assertThat(row.workingHoursStart()).isEqualTo("09:00");
    assertThat(row.workingHoursEnd()).isEqualTo("17:30");
    assertThat(row.workingDays()).containsExactly("TUESDAY", "MONDAY");
    assertThat(row.preferences()).isEmpty();
    assertThat(StandingContext.of(row)).isEqualTo(context);
  }

  @Test
  void shouldTellWorkingTimeInTheOwnersZone() {
    // given: Monday 2026-11-23, 09:00 in Berlin is 08:00 UTC
    StandingContext context =
        new StandingContext(
            ZoneId.of("Europe/Berlin"),
            LocalTime.of(9, 0),
            LocalTime.of(17, 0),
            List.of(DayOfWeek.MONDAY),
            true,
            "");
    // then
    assertThat(context.isWorkingTime(NOW)).isTrue();
    assertThat(context.isWorkingTime(NOW.minusSeconds(1))).isFalse();
    assertThat(context.isWorkingTime(NOW.plusSeconds(24 * 3600))).isFalse();
    assertThat(StandingContext.NONE.isWorkingTime(NOW)).isTrue();
    assertThat(StandingContext.NONE.toRecord("bob", NOW).timeZone()).isEqualTo("UTC");
  }
}
