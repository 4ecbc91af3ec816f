package dev.taskpilot.llm;

/** Why an LLM was called; the ledger's {@code purpose}. */
public enum LlmPurpose {
  PLAN,
  SUMMARISE,
  CHAT;

  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
