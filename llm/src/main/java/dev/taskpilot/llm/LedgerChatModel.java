package dev.taskpilot.llm;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.time.Duration;
import java.util.Set;

/** A chat model that writes every call it makes, successful or not, into the ledger. */
final class LedgerChatModel implements ChatModel {
  private final ChatModel delegate;
  private final LlmLedger ledger;
  private final LlmLedger.Caller caller;

  LedgerChatModel(ChatModel delegate, LlmLedger ledger, LlmLedger.Caller caller) {
    this.delegate = delegate;
    this.ledger = ledger;
    this.caller = caller;
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    return recorded(request, () -> delegate.chat(request));
  }

  @Override
  public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
    return recorded(request, () -> delegate.chat(request, options));
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    return chat(request);
  }

  private ChatResponse recorded(
      ChatRequest request, java.util.function.Supplier<ChatResponse> call) {
    long start = System.nanoTime();
    try {
      ChatResponse response = call.get();
      ledger.succeeded(caller, request, response, Duration.ofNanos(System.nanoTime() - start));
      return response;
    } catch (RuntimeException e) {
      ledger.failed(caller, request, e, Duration.ofNanos(System.nanoTime() - start));
      throw e;
    }
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return delegate.defaultRequestParameters();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return delegate.supportedCapabilities();
  }

  @Override
  public ModelProvider provider() {
    return delegate.provider();
  }
}
