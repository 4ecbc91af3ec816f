package dev.taskpilot.activities.agent;

import java.math.BigDecimal;

/**
 * The agent activity's heartbeat details: progress, and what a retried attempt needs to continue
 * the same agent session instead of starting over.
 *
 * @param lines output lines this attempt read
 * @param lastLine the last of them, shortened
 * @param sessionId the agent's session id once it said it, else null
 * @param costUsd the agent's cost so far, when it reported one
 * @param lastEvent the type of the last parsed event, else null
 */
public record AgentHeartbeat(
    long lines, String lastLine, String sessionId, BigDecimal costUsd, String lastEvent) {}
