package dev.taskpilot.activities.agent.process;

/**
 * How far a run has got; sent as heartbeat details, so it stays small.
 *
 * @param lines how many output lines this run has read so far
 * @param lastLineNumber the task-wide number of the last line read; before the first line, the last
 *     number of earlier attempts (0 when none)
 * @param lastLine the last line, shortened to a couple of hundred characters
 */
public record AgentProgress(long lines, long lastLineNumber, String lastLine) {}
