package dev.taskpilot.workflows.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The cron dialect: 5 fields, nicknames, IANA zones, and the DST rule. */
class CronScheduleTest {

  private static List<Instant> fires(String cron, String zone, String from, int count) {
    CronSchedule schedule = CronSchedule.parse(cron, zone);
    List<Instant> fires = new ArrayList<>();
    Instant at = Instant.parse(from);
    for (int i = 0; i < count; i++) {
      at = schedule.next(at);
      fires.add(at);
    }
    return fires;
  }

  @Test
  void shouldFireAtTheShiftedInstantWhenLocalTimeDoesNotExist() {
    // when: 02:30 on Berlin's spring-forward day (2026-03-29, 02:00 CET -> 03:00 CEST)
    List<Instant> fires = fires("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", 2);
    // then: once, at 03:30 CEST
    assertThat(fires)
        .containsExactly(
            Instant.parse("2026-03-29T01:30:00Z"), Instant.parse("2026-03-30T00:30:00Z"));
  }

  @Test
  void shouldDropTheNonExistentTimeWhenCronUtilsEvaluatesInTheZone() {
    // given: why CronSchedule evaluates on wall-clock time; fails once cron-utils changes
    var execution =
        ExecutionTime.forCron(
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX))
                .parse("30 2 * * *"));
    ZonedDateTime before = ZonedDateTime.of(2026, 3, 28, 12, 0, 0, 0, ZoneId.of("Europe/Berlin"));
    // when
    ZonedDateTime next = execution.nextExecution(before).orElseThrow();
    // then: cron-utils skips 2026-03-29 altogether
    assertThat(next.toLocalDate()).hasToString("2026-03-30");
  }

  @Test
  void shouldFireOnceAtTheFirstOccurrenceWhenLocalTimeRepeats() {
    // when: 02:30 on Berlin's fall-back day (2026-10-25, 03:00 CEST -> 02:00 CET)
    List<Instant> fires = fires("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", 2);
    // then
    assertThat(fires)
        .containsExactly(
            Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void shouldSkipTheRepeatedHourWhenAskedFromInsideIt() {
    // given: 02:10 CET, the second pass through 02:xx; 02:30 already fired at 02:30 CEST
    Instant insideSecondPass = Instant.parse("2026-10-25T01:10:00Z");
    // when
    List<Instant> fires = fires("30 * * * *", "Europe/Berlin", insideSecondPass.toString(), 2);
    // then: no second 02:30; next is 03:30 CET
    assertThat(fires)
        .containsExactly(
            Instant.parse("2026-10-25T02:30:00Z"), Instant.parse("2026-10-25T03:30:00Z"));
  }

  @Test
  void shouldFireEveryHalfHourOnceWhenTheClockSpringsForward() {
    // when: every 30 minutes across New York's gap (2026-03-08, 02:00 EST -> 03:00 EDT)
    List<Instant> fires = fires("*/30 * * * *", "America/New_York", "2026-03-08T06:15:00Z", 4);
    // then: 01:30 EST, then 03:00 EDT (the shifted 02:00), 03:30 EDT, 04:00 EDT; no duplicates
    assertThat(fires)
        .containsExactly(
            Instant.parse("2026-03-08T06:30:00Z"),
            Instant.parse("2026-03-08T07:00:00Z"),
            Instant.parse("2026-03-08T07:30:00Z"),
            Instant.parse("2026-03-08T08:00:00Z"));
  }

  @Test
  void shouldMatchDayOfMonthOrDayOfWeekWhenBothAreRestricted() {
    // when: the 1st of the month, or a Monday (UNIX cron's OR rule)
    List<Instant> fires = fires("0 0 1 * 1", "UTC", "2026-01-26T12:00:00Z", 2);
    // then: Sunday 2026-02-01, Monday 2026-02-02
    assertThat(fires)
        .containsExactly(
            Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-02-02T00:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource({
    "@hourly, 2026-01-05T13:00:00Z",
    "@daily, 2026-01-06T00:00:00Z",
    "@midnight, 2026-01-06T00:00:00Z",
    "@weekly, 2026-01-11T00:00:00Z",
    "@monthly, 2026-02-01T00:00:00Z",
    "@yearly, 2027-01-01T00:00:00Z"
  })
  void shouldExpandNicknamesWhenGiven(String nickname, String expected) {
    // when
    List<Instant> fires = fires(nickname, "UTC", "2026-01-05T12:30:00Z", 1);
    // then
    assertThat(fires).containsExactly(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 0 9 * * *", "0 0 9 * * ? 2026", "9 * *"})
  void shouldRefuseWhenFieldCountIsNotFive(String cron) {
    // when / then
    assertThatThrownBy(() -> CronSchedule.parse(cron, "UTC"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 fields");
  }

  @ParameterizedTest
  @ValueSource(strings = {"61 * * * *", "0 25 * * *", "a b c d e", "@reboot", "", "0 0 31 2 *"})
  void shouldRefuseWhenExpressionIsInvalidOrNeverFires(String cron) {
    // when / then
    assertThatThrownBy(() -> CronSchedule.parse(cron, "UTC"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Mars/Olympus_Mons", "+02:00", "CEST", ""})
  void shouldRefuseWhenZoneIsNotAnIanaZone(String zone) {
    // when / then
    assertThatThrownBy(() -> CronSchedule.parse("0 9 * * *", zone))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeZone");
  }
}
