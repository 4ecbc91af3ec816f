package dev.taskpilot.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options that say which server to talk to and with which token. */
final class Remote {
  static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "The Taskpilot server (default: TASKPILOT_SERVER, else " + DEFAULT_SERVER + ").")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "The API token (default: TASKPILOT_TOKEN, else dev's <data-dir>/admin-token).")
  String token;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where dev's admin-token is (default: TASKPILOT_DATA_DIR, taskpilot.data-dir, else"
              + " ~/.taskpilot).")
  Path dataDir;

  ApiClient client() {
    String url = firstSet(server, System.getenv("TASKPILOT_SERVER"), DEFAULT_SERVER);
    URI uri;
    try {
      uri = URI.create(url.endsWith("/") ? url : url + "/");
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new ApiClient.Failure("not a server URL: " + url);
    }
    return new ApiClient(uri, token());
  }

  /** The token: --token, TASKPILOT_TOKEN, then the admin-token file; null when none is found. */
  String token() {
    String given = firstSet(token, System.getenv("TASKPILOT_TOKEN"), null);
    if (given != null) {
      return given.strip();
    }
    Path file = dataDir().resolve("admin-token");
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private Path dataDir() {
    if (dataDir != null) {
      return dataDir;
    }
    String configured =
        firstSet(
            System.getenv("TASKPILOT_DATA_DIR"), System.getProperty("taskpilot.data-dir"), null);
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".taskpilot");
  }

  private static String firstSet(String first, String second, String otherwise) {
    if (first != null && !first.isBlank()) {
      return first;
    }
    if (second != null && !second.isBlank()) {
      return second;
    }
    return otherwise;
  }
}
