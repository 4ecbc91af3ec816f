package dev.taskpilot.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;

/**
 * Builds the configured chat model. LangChain4j's own retries are off ({@code maxRetries(0)}):
 * Temporal's retry options own retrying, so every HTTP call is one ledger row.
 */
@Factory
class LlmModelFactory {
  static final String OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434/v1";

  @Singleton
  @Requires(property = "taskpilot.llm.provider", pattern = "openai|anthropic|ollama")
  ChatModel chatModel(LlmConfig config) {
    return switch (config.provider()) {
      case "openai", "ollama" -> openAi(config);
      case "anthropic" -> anthropic(config);
      default ->
          throw new ConfigurationException(
              "taskpilot.llm.provider must be none, openai, anthropic or ollama: "
                  + config.provider());
    };
  }

  private static ChatModel openAi(LlmConfig config) {
    boolean ollama = "ollama".equals(config.provider());
    OpenAiChatModel.OpenAiChatModelBuilder builder =
        OpenAiChatModel.builder()
            .apiKey(config.apiKey() != null ? config.apiKey() : ollama ? "ollama" : null)
            .modelName(require(config.model(), "taskpilot.llm.model"))
            .timeout(config.timeout())
            .maxRetries(0)
            .maxTokens(config.maxTokens())
            .temperature(config.temperature())
            .logRequests(false)
            .logResponses(false);
    if (ollama) {
      builder.baseUrl(config.baseUrl() != null ? config.baseUrl() : OLLAMA_DEFAULT_URL);
    } else {
      require(config.apiKey(), "taskpilot.llm.api-key");
      if (config.baseUrl() != null) {
        builder.baseUrl(config.baseUrl());
      }
      builder.supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).strictJsonSchema(true);
    }
    return builder.build();
  }

  private static ChatModel anthropic(LlmConfig config) {
    AnthropicChatModel.AnthropicChatModelBuilder builder =
        AnthropicChatModel.builder()
            .apiKey(require(config.apiKey(), "taskpilot.llm.api-key"))
            .modelName(require(config.model(), "taskpilot.llm.model"))
            .timeout(config.timeout())
            .maxRetries(0)
            .maxTokens(config.maxTokens())
            .temperature(config.temperature())
            .logRequests(false)
            .logResponses(false)
            // Anthropic's native JSON-schema output (output_config), not the instruction text.
            .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    if (config.baseUrl() != null) {
      builder.baseUrl(config.baseUrl());
    }
    return builder.build();
  }

  private static String require(String value, String key) {
    if (value == null || value.isBlank()) {
      throw new ConfigurationException(key + " must be set when taskpilot.llm.provider is set");
    }
    return value;
  }
}
