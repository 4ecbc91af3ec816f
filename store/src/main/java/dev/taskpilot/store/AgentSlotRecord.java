package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One claim on an agent run slot: WAITING in the queue, or RUNNING once granted.
 *
 * @param claim the claiming workflow's number for this claim; a grant names it
 * @param holder the identity of the worker running the granted claim, once its run has started
 * @param waitingSince when the claim started waiting (null for claims made before V12)
 * @param grantedAt when the claim was granted (null while it waits)
 */
@MappedEntity("agent_slots")
public record AgentSlotRecord(
    @Id String taskId,
    String agent,
    @Nullable String workspaceKey,
    int priority,
    Instant submittedAt,
    String state,
    Instant leaseUntil,
    int claim,
    @Nullable String holder,
    @Nullable Instant waitingSince,
    @Nullable Instant grantedAt) {}
