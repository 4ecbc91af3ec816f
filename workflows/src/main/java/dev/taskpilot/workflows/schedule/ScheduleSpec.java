package dev.taskpilot.workflows.schedule;

import java.time.Duration;

/**
 * When a schedule fires and how it treats overlap and downtime: everything its workflow needs to
 * decide, and nothing of the task it starts.
 *
 * @param catchupWindow how late a fire time may still be started after downtime; older ones are
 *     recorded as {@link SkipReason#MISSED}
 */
public record ScheduleSpec(
    String cron, String timeZone, OverlapPolicy overlap, Duration catchupWindow) {
  /** The catch-up window when none is given. */
  public static final Duration DEFAULT_CATCHUP = Duration.ofHours(1);

  /** The longest catch-up window accepted. */
  public static final Duration MAX_CATCHUP = Duration.ofDays(30);

  /**
   * Fires at most this late always run, whatever the window says: a timer that fires a few
   * milliseconds late must not turn a fire into a missed one.
   */
  public static final Duration MIN_CATCHUP = Duration.ofMinutes(1);

  public ScheduleSpec {
    overlap = overlap == null ? OverlapPolicy.SKIP : overlap;
    catchupWindow = catchupWindow == null ? DEFAULT_CATCHUP : catchupWindow;
  }

  /**
   * The parsed cron expression.
   *
   * @throws IllegalArgumentException when the cron, the zone or the catch-up window is invalid
   */
  public CronSchedule validated() {
    if (catchupWindow.isNegative() || catchupWindow.compareTo(MAX_CATCHUP) > 0) {
      throw new IllegalArgumentException(
          "catchupWindow must be between PT0S and P30D: " + catchupWindow);
    }
    return CronSchedule.parse(cron, timeZone);
  }

  /** The window actually applied: the given one, at least {@link #MIN_CATCHUP}. */
  Duration effectiveCatchup() {
    return catchupWindow.compareTo(MIN_CATCHUP) < 0 ? MIN_CATCHUP : catchupWindow;
  }
}
