package dev.taskpilot.activities.worktree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the git command line for worktrees: no shell, bounded time, output captured for the error
 * message, hardened as {@link GitSafety} says (no hooks, no fsmonitor, no transport).
 */
final class Git {
  private static final long TIMEOUT_SECONDS = 60;

  private Git() {}

  /** The command's standard output; throws with its output when git fails. */
  static String run(Path directory, String... arguments) {
    return run(directory, Map.of(), arguments);
  }

  /**
   * The command's standard output, with {@code environment} set on top (a {@link
   * VerifiedWorktree}'s pin); throws with its output when git fails.
   */
  static String run(Path directory, Map<String, String> environment, String... arguments) {
    ProcessBuilder builder =
        new ProcessBuilder(GitSafety.command(directory, List.of(arguments)))
            .redirectErrorStream(true);
    GitSafety.environment(builder.environment(), GitSafety.NO_PROTOCOLS);
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("git " + String.join(" ", arguments) + " timed out");
      }
      String text = new String(output, StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "git "
                + String.join(" ", arguments)
                + " failed ("
                + process.exitValue()
                + "): "
                + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("could not run git: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }
}
