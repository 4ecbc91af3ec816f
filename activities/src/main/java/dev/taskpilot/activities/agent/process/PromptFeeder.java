package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.agent.profile.PromptMode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Gives an agent its prompt on standard input, or closes that input at once. */
final class PromptFeeder {
  private PromptFeeder() {}

  static void feed(Process process, AgentProcessSpec spec) {
    OutputStream stdin = process.getOutputStream();
    if (spec.promptMode() != PromptMode.STDIN || spec.prompt().isEmpty()) {
      write(stdin, new byte[0]);
      return;
    }
    byte[] prompt = spec.prompt().getBytes(StandardCharsets.UTF_8);
    // A separate thread: an agent that does not read its input must not block the run.
    Thread.ofPlatform()
        .daemon()
        .name("agent-input-" + spec.taskId())
        .start(() -> write(stdin, prompt));
  }

  private static void write(OutputStream stdin, byte[] bytes) {
    try (stdin) {
      stdin.write(bytes);
    } catch (IOException e) {
      // The agent closed its input or exited early; it did not want the rest.
    }
  }
}
