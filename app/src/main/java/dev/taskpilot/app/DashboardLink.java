package dev.taskpilot.app;

import io.micronaut.core.annotation.Nullable;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dev's one-click dashboard link: the server's URL with the admin token in its {@code #token=}
 * fragment. A browser never sends a fragment to the server, so the token stays out of request lines
 * and access logs; the dashboard moves it into its storage and wipes it from the address bar.
 *
 * <p>The link is printed only to a terminal (standard output is one), never through the logger and
 * never into a redirected output: a log file or a collector ({@code TASKPILOT_LOG_FORMAT=json})
 * must not keep the token. Otherwise the log says where the dashboard is and where its token is,
 * without the token.
 */
final class DashboardLink {
  private static final Logger log = LoggerFactory.getLogger(DashboardLink.class);

  private DashboardLink() {}

  static void announce(String serverUrl, Path dataDir) {
    announce(
        serverUrl,
        dataDir,
        System.getenv("TASKPILOT_LOG_FORMAT"),
        outputIsATerminal() ? System.out : null);
  }

  /**
   * @param terminal where to print the link, null when standard output is not a terminal
   */
  static void announce(
      String serverUrl, Path dataDir, String logFormat, @Nullable PrintStream terminal) {
    String base = serverUrl.endsWith("/") ? serverUrl : serverUrl + "/";
    Path file = dataDir.resolve(AdminTokenFile.NAME);
    String token = read(file);
    if (token == null || terminal == null || "json".equalsIgnoreCase(logFormat)) {
      log.info(
          "dashboard at {} (sign in with the token in {}{})",
          base,
          file,
          token == null ? ", or one from `taskpilot token create`" : "");
      return;
    }
    terminal.println();
    terminal.println(
        "  Taskpilot dashboard (this link signs you in as admin; keep it to yourself):");
    terminal.println("  " + base + "#token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    terminal.println();
    terminal.flush();
  }

  /**
   * Whether standard output is a terminal. From Java 22 on, {@code System.console()} answers a
   * console for redirected output too and {@code Console.isTerminal()} tells them apart (called
   * reflectively: the code is compiled for Java 21, where a console means a terminal).
   */
  static boolean outputIsATerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  private static String read(Path file) {
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      return token.isEmpty() ? null : token;
    } catch (IOException e) {
      return null;
    }
  }
}
