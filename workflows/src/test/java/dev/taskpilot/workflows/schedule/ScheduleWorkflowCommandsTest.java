package dev.taskpilot.workflows.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pause, resume, trigger, update and delete. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduleWorkflowCommandsTest {
  private static final Instant START = Instant.parse("2026-01-05T08:15:00Z");

  @Test
  void shouldStartManualRunsWhenTriggeredWhilePaused() {
    // given
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(START)) {
      ScheduleWorkflow schedule = env.create("0 * * * *", "UTC", OverlapPolicy.SKIP, true);
      env.sleep(Duration.ofHours(3));

      // when
      String first = schedule.trigger();
      String second = schedule.trigger();

      // then
      assertThat(first).isEqualTo("sch-test-manual-1");
      assertThat(second).isEqualTo("sch-test-manual-2");
      assertThat(env.activities.startCalls())
          .allSatisfy(start -> assertThat(start.request().manual()).isTrue());
      assertThat(env.activities.startedTaskIds()).containsExactly(first, second);
      assertThat(env.activities.startedFireTimes()).as("no cron fire while paused").isEmpty();
      assertThat(schedule.state().nextFireTime()).isNull();
      assertThat(env.activities.states().getLast().nextFireTime()).isNull();
    }
  }

  @Test
  void shouldFireFromNowOnWithoutCatchingUpWhenResumed() {
    // given
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(START)) {
      ScheduleWorkflow schedule = env.create("0 * * * *", "UTC", OverlapPolicy.SKIP, true);
      env.sleep(Duration.ofHours(3));

      // when: resumed at 11:15
      ScheduleState resumed = schedule.resume();
      env.sleep(Duration.ofMinutes(50));

      // then
      assertThat(resumed.nextFireTime()).isEqualTo(Instant.parse("2026-01-05T12:00:00Z"));
      assertThat(env.activities.startedFireTimes())
          .containsExactly(Instant.parse("2026-01-05T12:00:00Z"));
      assertThat(env.activities.skipped(SkipReason.MISSED)).isEmpty();
    }
  }

  @Test
  void shouldFollowTheNewCronWhenUpdated() {
    // given
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(START)) {
      ScheduleWorkflow schedule = env.create("0 * * * *", "UTC", OverlapPolicy.SKIP, false);

      // when: every 20 minutes in New York from 08:15Z on
      ScheduleState updated =
          schedule.update(
              new ScheduleSpec("*/20 * * * *", "America/New_York", OverlapPolicy.ALLOW_ALL, null),
              false);
      env.sleep(Duration.ofMinutes(50));

      // then
      assertThat(updated.nextFireTime()).isEqualTo(Instant.parse("2026-01-05T08:20:00Z"));
      assertThat(env.activities.startedFireTimes())
          .containsExactly(
              Instant.parse("2026-01-05T08:20:00Z"),
              Instant.parse("2026-01-05T08:40:00Z"),
              Instant.parse("2026-01-05T09:00:00Z"));
    }
  }

  @Test
  void shouldRefuseUpdateWhenCronIsInvalid() {
    // given
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(START)) {
      ScheduleWorkflow schedule = env.create("0 * * * *", "UTC", OverlapPolicy.SKIP, false);
      // when / then
      assertThatThrownBy(
              () ->
                  schedule.update(
                      new ScheduleSpec("0 0 * * * *", "UTC", OverlapPolicy.SKIP, null), false))
          .isInstanceOf(WorkflowUpdateException.class);
      assertThat(schedule.state().spec().cron()).isEqualTo("0 * * * *");
    }
  }

  @Test
  void shouldStopFiringButLeaveStartedTasksAloneWhenDeleted() {
    // given: two runs started, each lasting a day
    try (ScheduleTestEnvironment env = new ScheduleTestEnvironment(START)) {
      env.activities.runLength = Duration.ofDays(1);
      ScheduleWorkflow schedule = env.create("0 * * * *", "UTC", OverlapPolicy.ALLOW_ALL, false);
      env.sleep(Duration.ofMinutes(110));
      assertThat(env.activities.startedFireTimes()).hasSize(2);

      // when
      ScheduleState deleted = schedule.delete();
      ScheduleState result = env.result();
      env.sleep(Duration.ofDays(1));

      // then
      assertThat(deleted.deleted()).isTrue();
      assertThat(deleted.nextFireTime()).isNull();
      assertThat(result.deleted()).isTrue();
      assertThat(env.activities.startedFireTimes()).as("no run after the delete").hasSize(2);
      assertThat(env.activities.cancels()).as("started tasks are left alone").isEmpty();
      assertThat(env.activities.states().getLast().deleted()).isTrue();
    }
  }
}
