package dev.taskpilot.activities.agent.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The recorded transcripts under {@code src/test/resources/transcripts}. */
final class Transcripts {
  private Transcripts() {}

  /** The lines of transcript {@code name}. */
  static List<String> lines(String name) {
    try (InputStream in = Transcripts.class.getResourceAsStream("/transcripts/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no transcript " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every event of transcript {@code name}, parsed in order with a fresh parser for {@code format}.
   */
  static List<AgentEvent> events(String name, String format) {
    AgentOutputFormat parser = AgentOutputFormat.forName(format);
    List<AgentEvent> events = new ArrayList<>();
    for (String line : lines(name)) {
      events.addAll(parser.parse(line));
    }
    return events;
  }

  /** The events of transcript {@code name} of type {@code type}. */
  static <T extends AgentEvent> List<T> events(String name, String format, Class<T> type) {
    return events(name, format).stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** A tally fed with every event of transcript {@code name}. */
  static RunTally tally(String name, String format) {
    RunTally tally = new RunTally();
    tally.acceptAll(events(name, format));
    return tally;
  }
}
