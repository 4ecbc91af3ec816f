package dev.taskpilot.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** An owner's chat conversation: LangChain4j's JSON of its messages. */
@MappedEntity("chat_conversations")
public record ChatConversationRecord(
    @Id String owner, @TypeDef(type = DataType.JSON) String messages, Instant updatedAt) {}
