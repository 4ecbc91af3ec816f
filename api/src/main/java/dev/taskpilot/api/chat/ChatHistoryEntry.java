package dev.taskpilot.api.chat;

import io.micronaut.serde.annotation.Serdeable;

/** One message of the conversation: {@code user}, {@code assistant} or {@code tool}. */
@Serdeable
public record ChatHistoryEntry(String role, String text) {}
