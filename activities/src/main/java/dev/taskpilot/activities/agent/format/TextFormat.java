package dev.taskpilot.activities.agent.format;

import java.util.List;

/** The {@code text} format: output lines carry no events. */
final class TextFormat implements AgentOutputFormat {
  static final TextFormat INSTANCE = new TextFormat();

  private TextFormat() {}

  @Override
  public List<AgentEvent> parse(String line) {
    return List.of();
  }

  @Override
  public String name() {
    return TEXT;
  }
}
