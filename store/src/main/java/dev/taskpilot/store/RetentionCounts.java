package dev.taskpilot.store;

/**
 * What one retention batch deleted.
 *
 * @param tasks finished tasks deleted with all their rows
 * @param outputLines output lines of those tasks (deleted ahead of the task rows when there are
 *     many)
 * @param taskLlmCalls LLM calls of those tasks
 * @param secretsPurged tasks whose secrets were purged by the backstop (tasks that ended without
 *     purging them themselves)
 * @param untiedLlmCalls LLM calls of no task (the chat's)
 * @param conversations chat conversations idle since the cutoff
 * @param skippedRuns records of skipped schedule fire times
 * @param schedules schedules deleted before the cutoff, with their runs and secrets
 * @param complete whether every kind came back short of the batch size: nothing is left to delete
 *     for these cutoffs
 */
public record RetentionCounts(
    int tasks,
    long outputLines,
    int taskLlmCalls,
    int secretsPurged,
    int untiedLlmCalls,
    int conversations,
    int skippedRuns,
    int schedules,
    boolean complete) {}
