package dev.taskpilot.llm;

import dev.langchain4j.model.chat.ChatModel;
import jakarta.inject.Singleton;
import java.util.Optional;

/** The configured model, if any, handed out with a ledger attached to each caller. */
@Singleton
public class LlmClient {
  private final Optional<ChatModel> model;
  private final LlmLedger ledger;
  private final LlmConfig config;

  public LlmClient(Optional<ChatModel> model, LlmLedger ledger, LlmConfig config) {
    this.model = model;
    this.ledger = ledger;
    this.config = config;
  }

  /** Whether a provider is configured. */
  public boolean enabled() {
    return model.isPresent();
  }

  /** The model for one caller, recording each call in the ledger; empty without a provider. */
  public Optional<ChatModel> forCaller(String owner, String taskId, LlmPurpose purpose) {
    return model.map(
        delegate ->
            new LedgerChatModel(
                delegate, ledger, new LlmLedger.Caller(owner, taskId, purpose, config.provider())));
  }
}
