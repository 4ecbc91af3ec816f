package dev.taskpilot.workflows.retention;

import java.time.Instant;

/**
 * The retention workflow's input, also what one run carries into the next.
 *
 * @param settings what to keep and how often to sweep
 * @param nextSweep when the next sweep is due; null for at once (a new workflow)
 */
public record RetentionInput(RetentionSettings settings, Instant nextSweep) {}
