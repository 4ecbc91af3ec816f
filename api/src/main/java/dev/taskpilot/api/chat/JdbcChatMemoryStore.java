package dev.taskpilot.api.chat;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import dev.taskpilot.store.ChatConversationRecord;
import dev.taskpilot.store.ChatConversationRepository;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Chat conversations in PostgreSQL, one row per owner (the memory id). */
@Singleton
class JdbcChatMemoryStore implements ChatMemoryStore {
  private final ChatConversationRepository conversations;

  JdbcChatMemoryStore(ChatConversationRepository conversations) {
    this.conversations = conversations;
  }

  @Override
  public List<ChatMessage> getMessages(Object owner) {
    return conversations
        .findById(owner.toString())
        .map(row -> ChatMessageDeserializer.messagesFromJson(row.messages()))
        .orElseGet(List::of);
  }

  @Override
  public void updateMessages(Object owner, List<ChatMessage> messages) {
    ChatConversationRecord row =
        new ChatConversationRecord(
            owner.toString(),
            ChatMessageSerializer.messagesToJson(messages),
            Instant.now().truncatedTo(ChronoUnit.MICROS));
    if (conversations.existsById(row.owner())) {
      conversations.update(row);
    } else {
      conversations.save(row);
    }
  }

  @Override
  public void deleteMessages(Object owner) {
    conversations.deleteById(owner.toString());
  }
}
