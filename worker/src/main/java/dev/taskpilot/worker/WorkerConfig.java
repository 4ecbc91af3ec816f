package dev.taskpilot.worker;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Worker tuning.
 *
 * @param enabled whether this process polls task queues at all
 * @param count how many independent workers this process runs (each with its own identity)
 * @param agentSlots concurrent agent runs per worker
 * @param ioSlots concurrent I/O activities (planning, publishing, notifying, projection) per worker
 * @param slotWaiters concurrent waits for agent slots per worker (idle polls of PostgreSQL)
 * @param stickyTimeout how long a workflow task waits for the worker that cached its workflow; zero
 *     switches stickiness off, which workers of another process on the embedded engine need (it
 *     never times out a dead worker's sticky queue). {@code dev} sets 5 s for its in-process
 *     workers, which stop only with the engine.
 * @param drainTimeout how long a stopping worker lets running activities finish
 */
@ConfigurationProperties("taskpilot.worker")
public record WorkerConfig(
    @Bindable(defaultValue = "true") boolean enabled,
    @Bindable(defaultValue = "1") @Min(0) int count,
    @Bindable(defaultValue = "2") @Min(1) int agentSlots,
    @Bindable(defaultValue = "20") @Min(1) int ioSlots,
    @Bindable(defaultValue = "200") @Min(1) int slotWaiters,
    @Bindable(defaultValue = "0s") Duration stickyTimeout,
    @Bindable(defaultValue = "30s") Duration drainTimeout) {}
