package dev.taskpilot.activities.agent.process;

import java.time.Instant;

/**
 * What the runner observed.
 *
 * @param outcome how the process ended
 * @param startedAt when the run started (UTC)
 * @param endedAt when the process and its output were finished with
 * @param lines how many output lines this run stored
 * @param lastLine the last output line, empty when there was none
 * @param tail the last output lines, at most a few kilobytes
 */
public record AgentProcessResult(
    RunOutcome outcome,
    Instant startedAt,
    Instant endedAt,
    long lines,
    String lastLine,
    String tail) {}
