package dev.taskpilot.activities.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs git for publishing: no shell, never a prompt (it fails instead), protocols restricted to the
 * remote's own, hooks of the worktree's repository skipped, bounded time.
 */
final class GitCommand {
  private GitCommand() {}

  /** How one git command ended; {@code output} is standard output and error together. */
  record Result(int exitCode, String output, boolean timedOut) {
    boolean ok() {
      return !timedOut && exitCode == 0;
    }
  }

  /**
   * Runs {@code git -C directory arguments...}.
   *
   * @param environment variables set on top of the worker's own
   * @param allowedProtocols the transports git may use, {@code GIT_ALLOW_PROTOCOL} syntax
   */
  static Result run(
      Path directory,
      Duration timeout,
      String allowedProtocols,
      Map<String, String> environment,
      String... arguments) {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("git", "-C", directory.toString()));
    // Redirects could lead a push somewhere the guard never checked.
    command.addAll(List.of("-c", "http.followRedirects=false"));
    command.addAll(List.of(arguments));
    Path output = null;
    Process process = null;
    try {
      output = Files.createTempFile("taskpilot-git-", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      Map<String, String> env = builder.environment();
      env.remove("GIT_DIR");
      env.remove("GIT_WORK_TREE");
      env.remove("GIT_INDEX_FILE");
      env.put("GIT_TERMINAL_PROMPT", "0");
      env.put("GIT_ALLOW_PROTOCOL", allowedProtocols);
      env.putIfAbsent("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
      env.putAll(environment);
      process = builder.start();
      process.getOutputStream().close();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8).strip();
      return new Result(finished ? process.exitValue() : -1, text, !finished);
    } catch (IOException e) {
      return new Result(-1, "could not run git: " + e.getMessage(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      return new Result(-1, "interrupted while running git", true);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // A leftover temporary file is harmless.
        }
      }
    }
  }
}
