package dev.taskpilot.workflows.retention;

import java.time.Instant;

/**
 * The retention workflow's live state.
 *
 * @param settings what it keeps and how often it sweeps
 * @param nextSweep when the next sweep is due
 * @param lastSweep what the last sweep of this run did; null before the first
 */
public record RetentionState(
    RetentionSettings settings, Instant nextSweep, RetentionSweep lastSweep) {}
