package dev.taskpilot.api.chat;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The assistant's answer and the actions it took on the way. */
@Serdeable
public record ChatReply(String reply, List<ChatAction> actions) {}
