package dev.taskpilot.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/** The agent session a task's run has reached; see V9__agent_sessions.sql. */
@MappedEntity("agent_sessions")
public record AgentSessionRecord(@Id String taskId, String sessionId, Instant updatedAt) {}
