package dev.taskpilot.store;

import java.time.Instant;

/**
 * A worker's row in the fleet registry ({@code workers}, see V12__workers.sql).
 *
 * @param identity the worker's Temporal identity
 * @param host the host name the worker runs on
 * @param pid the process id of its JVM
 * @param taskQueue the task queue its workflows are polled from
 * @param agentSlots how many agent runs this worker takes at a time
 * @param startedAt when the worker started
 * @param lastSeen its last heartbeat
 * @param draining whether it is stopping (letting its runs finish, taking no new ones)
 * @param profiles JSON object of the agent profiles it runs and their fleet-wide slot capacity
 */
public record WorkerRecord(
    String identity,
    String host,
    long pid,
    String taskQueue,
    int agentSlots,
    Instant startedAt,
    Instant lastSeen,
    boolean draining,
    String profiles) {}
