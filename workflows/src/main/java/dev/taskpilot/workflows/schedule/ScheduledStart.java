package dev.taskpilot.workflows.schedule;

import java.time.Instant;

/**
 * One run a schedule starts.
 *
 * @param fireTime the cron fire time, or for a manual trigger the moment it was triggered
 * @param manual whether a person triggered it (its id then counts triggers instead of naming the
 *     fire time)
 */
public record ScheduledStart(String scheduleId, String taskId, Instant fireTime, boolean manual) {}
