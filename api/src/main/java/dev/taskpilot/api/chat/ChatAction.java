package dev.taskpilot.api.chat;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * One tool call the assistant made while answering.
 *
 * @param tool the tool's name, such as {@code createTask}
 * @param arguments the arguments it was called with
 * @param outcome {@code done}, or {@code refused} when validation or the task's status said no
 * @param taskId the task it concerned, when there was one
 * @param detail what happened, in a sentence
 */
@Serdeable
public record ChatAction(
    String tool,
    Map<String, Object> arguments,
    String outcome,
    @Nullable String taskId,
    String detail) {}
