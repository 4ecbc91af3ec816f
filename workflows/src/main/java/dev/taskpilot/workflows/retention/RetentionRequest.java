package dev.taskpilot.workflows.retention;

import java.time.Instant;

/**
 * One batch to delete, with the cutoffs of the sweep it belongs to (fixed for the whole sweep, so
 * the sweep ends).
 *
 * @param endedBefore finished tasks that ended before this go, and rows tied to no task written
 *     before it; null keeps them
 * @param secretsEndedBefore secrets of finished tasks that ended before this are purged
 * @param batchSize tasks (and rows of each other kind) per transaction
 */
public record RetentionRequest(Instant endedBefore, Instant secretsEndedBefore, int batchSize) {}
