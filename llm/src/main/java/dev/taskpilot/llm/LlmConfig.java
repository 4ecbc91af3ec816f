package dev.taskpilot.llm;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The LLM endpoint, under {@code taskpilot.llm}.
 *
 * @param provider {@code none} (fallback planner only), {@code openai} (any OpenAI-compatible
 *     endpoint), {@code anthropic}, or {@code ollama} (its OpenAI-compatible endpoint)
 * @param baseUrl the endpoint; the provider's own default when null
 * @param apiKey the key; never logged, never stored
 * @param model the model name
 * @param timeout one HTTP call's limit
 * @param temperature sampling temperature, the provider's default when null
 * @param maxTokens the answer's token limit
 */
@ConfigurationProperties("taskpilot.llm")
public record LlmConfig(
    @Bindable(defaultValue = "none") String provider,
    @Nullable String baseUrl,
    @Nullable String apiKey,
    @Nullable String model,
    @Bindable(defaultValue = "60s") Duration timeout,
    @Nullable Double temperature,
    @Bindable(defaultValue = "2048") int maxTokens) {

  /** Whether any provider is configured. */
  public boolean enabled() {
    return !"none".equals(provider);
  }

  /** The configuration without its secret, for logs. */
  @Override
  public String toString() {
    return "LlmConfig[provider="
        + provider
        + ", baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", timeout="
        + timeout
        + ", apiKey="
        + (apiKey == null ? "unset" : "***")
        + "]";
  }
}
