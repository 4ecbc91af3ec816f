package dev.taskpilot.workflows.schedule;

import java.time.Instant;

/**
 * The fire times of a cron expression in {@code (after, before)} that came while the schedule was
 * down and are older than its catch-up window.
 */
public record MissedFires(
    String scheduleId, String cron, String timeZone, Instant after, Instant before) {}
