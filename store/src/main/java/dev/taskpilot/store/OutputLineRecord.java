package dev.taskpilot.store;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;

/** One line of an agent's output. */
@MappedEntity("task_output")
public record OutputLineRecord(
    @Id @GeneratedValue Long id,
    String taskId,
    long lineNo,
    int attempt,
    @MappedProperty("text") String text,
    Instant createdAt) {}
