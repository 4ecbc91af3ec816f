package dev.taskpilot.api.events;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The data of an {@code output} event: one line of the agent's output.
 *
 * @param line the line's number, 1 for the task's first line
 * @param text the line, without its line break
 */
@Serdeable
public record OutputEventData(long line, String text) {}
