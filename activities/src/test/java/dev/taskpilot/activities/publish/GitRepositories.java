package dev.taskpilot.activities.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real git repositories on disk for the git target's tests. */
final class GitRepositories {
  private GitRepositories() {}

  /** A repository with one commit, on branch main. */
  static Path workspace(Path directory) throws IOException {
    Files.createDirectories(directory);
    git(directory, "init", "-q", "-b", "main");
    Files.writeString(directory.resolve("README.md"), "shop\n");
    git(directory, "add", "README.md");
    commit(directory, "first");
    return directory;
  }

  /** A bare repository whose post-receive hook counts the pushes that updated a ref. */
  static Path bareWithPushCounter(Path directory) throws IOException {
    Files.createDirectories(directory);
    git(directory, "init", "-q", "--bare");
    Path hook = directory.resolve("hooks/post-receive");
    Files.writeString(hook, "#!/bin/sh\necho pushed >> \"$(dirname \"$0\")/../pushes.log\"\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    return directory;
  }

  /** Makes the next push to the bare repository hang in its pre-receive hook for a minute. */
  static void hangNextPush(Path bare) throws IOException {
    Path hook = bare.resolve("hooks/pre-receive");
    Files.writeString(
        hook,
        "#!/bin/sh\nd=\"$(dirname \"$0\")/..\"\n"
            + "if [ -f \"$d/hang-once\" ]; then rm \"$d/hang-once\"; sleep 60; fi\n");
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(bare.resolve("hang-once"), "");
  }

  static int pushes(Path bare) throws IOException {
    Path log = bare.resolve("pushes.log");
    return Files.exists(log) ? Files.readAllLines(log).size() : 0;
  }

  /** The commit a ref points at, or "" when there is no such ref. */
  static String ref(Path repository, String ref) throws IOException {
    String out = git(repository, "for-each-ref", "--format=%(objectname)", ref);
    return out.strip();
  }

  static void commit(Path repository, String message) throws IOException {
    git(
        repository,
        "-c",
        "user.name=Someone",
        "-c",
        "user.email=someone@localhost",
        "commit",
        "-q",
        "-m",
        message);
  }

  /** Runs git; its output, or an exception carrying it when git fails. */
  static String git(Path directory, String... arguments) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IOException("git " + String.join(" ", arguments) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return output;
  }
}
