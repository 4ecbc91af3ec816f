package dev.taskpilot.activities.publish;

import dev.taskpilot.activities.worktree.GitSafety;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs git for publishing: no shell, never a prompt (it fails instead), protocols restricted to the
 * remote's own, no hook or fsmonitor ({@link GitSafety}), bounded time.
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
   * Runs a git command that needs no repository (ls-remote) in an empty directory of its own, so
   * that git finds no repository, and reads no repository's configuration, on its way up.
   */
  static Result runOutsideRepositories(
      Duration timeout, String allowedProtocols, String... arguments) {
    Path empty = null;
    try {
      empty = Files.createTempDirectory("taskpilot-git-");
      return run(
          empty,
          timeout,
          allowedProtocols,
          Map.of("GIT_CEILING_DIRECTORIES", empty.getParent().toString()),
          arguments);
    } catch (IOException e) {
      return new Result(-1, "could not run git: " + e.getMessage(), false);
    } finally {
      if (empty != null) {
        try {
          Files.deleteIfExists(empty);
        } catch (IOException e) {
          // A leftover empty directory is harmless.
        }
      }
    }
  }

  /**
   * Runs {@code git -C directory <GitSafety.OPTIONS> arguments...}.
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
    List<String> command = GitSafety.command(directory, List.of(arguments));
    Path output = null;
    Process process = null;
    try {
      output = Files.createTempFile("taskpilot-git-", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      Map<String, String> env = builder.environment();
      GitSafety.environment(env, allowedProtocols);
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
