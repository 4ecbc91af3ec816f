package dev.taskpilot.api.chat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.RateLimits;
import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import dev.taskpilot.api.tasks.TaskService;
import dev.taskpilot.llm.LlmClient;
import dev.taskpilot.llm.LlmPurpose;
import jakarta.inject.Singleton;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Objects;

/** The chat assistant: one message in, a reply and the actions taken out; history per owner. */
@Singleton
public class ChatService {
  static final int MEMORY_MESSAGES = 40;
  static final int MAX_TOOL_ROUND_TRIPS = 8;

  private final LlmClient llm;
  private final TaskService tasks;
  private final Validator validator;
  private final JdbcChatMemoryStore memory;
  private final RateLimits rateLimits;

  ChatService(
      LlmClient llm,
      TaskService tasks,
      Validator validator,
      JdbcChatMemoryStore memory,
      RateLimits rateLimits) {
    this.rateLimits = rateLimits;
    this.llm = llm;
    this.tasks = tasks;
    this.validator = validator;
    this.memory = memory;
  }

  /**
   * Answers one message of the caller's owner's conversation, running the tools the model calls
   * with the caller's rights; a non-admin caller spends one of its chat messages.
   */
  public ChatReply chat(Caller caller, String message) {
    rateLimits.take(caller, RateLimits.Action.CHAT_MESSAGE);
    String owner = caller.owner();
    var model =
        llm.forCaller(owner, null, LlmPurpose.CHAT)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.LLM_NOT_CONFIGURED,
                        "the chat assistant needs an LLM; set taskpilot.llm.provider"));
    TaskTools tools = new TaskTools(caller, tasks, validator);
    ChatAssistant assistant =
        AiServices.builder(ChatAssistant.class)
            .chatModel(model)
            .chatMemory(
                MessageWindowChatMemory.builder()
                    .id(owner)
                    .maxMessages(MEMORY_MESSAGES)
                    .chatMemoryStore(memory)
                    .build())
            .tools(tools)
            .maxSequentialToolsInvocations(MAX_TOOL_ROUND_TRIPS)
            .toolArgumentsErrorHandler(
                (error, context) ->
                    ToolErrorHandlerResult.text(
                        "Refused: invalid arguments: " + error.getMessage()))
            .toolExecutionErrorHandler(
                (error, context) -> ToolErrorHandlerResult.text("Failed: " + error.getMessage()))
            .build();
    try {
      return new ChatReply(assistant.chat(message), tools.actions());
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ApiException(
          ErrorCode.LLM_UNAVAILABLE,
          "the LLM could not answer: " + e.getClass().getSimpleName(),
          e);
    }
  }

  /** The owner's conversation, oldest first, without system messages. */
  public List<ChatHistoryEntry> history(String owner) {
    return memory.getMessages(owner).stream()
        .map(ChatService::entry)
        .filter(Objects::nonNull)
        .toList();
  }

  /** Forgets the owner's conversation. */
  public void clear(String owner) {
    memory.deleteMessages(owner);
  }

  private static ChatHistoryEntry entry(ChatMessage message) {
    return switch (message) {
      case UserMessage user -> new ChatHistoryEntry("user", user.singleText());
      case AiMessage ai ->
          new ChatHistoryEntry(
              "assistant",
              ai.text() != null
                  ? ai.text()
                  : "(calls "
                      + ai.toolExecutionRequests().stream().map(r -> r.name()).toList()
                      + ")");
      case ToolExecutionResultMessage tool -> new ChatHistoryEntry("tool", tool.text());
      default -> null;
    };
  }
}
