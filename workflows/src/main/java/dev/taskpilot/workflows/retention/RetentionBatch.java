package dev.taskpilot.workflows.retention;

/**
 * What one batch (one transaction) deleted.
 *
 * @param tasks finished tasks deleted with all their rows
 * @param outputLines their output lines
 * @param llmCalls LLM calls: of those tasks, and of no task (the chat's)
 * @param secretsPurged tasks whose leftover secrets were purged
 * @param otherRows idle chat conversations, skipped schedule fire times and deleted schedules
 * @param complete whether nothing is left to delete for these cutoffs
 */
public record RetentionBatch(
    int tasks,
    long outputLines,
    int llmCalls,
    int secretsPurged,
    int otherRows,
    boolean complete) {}
