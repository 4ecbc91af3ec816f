package dev.taskpilot.activities.notify;

import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.testing.TaskRows;
import dev.taskpilot.store.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared set-up of the notification tests. */
final class NotifyFixtures {
  static final String PUBLIC_URL = "https://taskpilot.example.test";
  static final String CONFIGURED_TOKEN = "tk_configured_secret";

  private static final Pattern ENCODED_WORD = Pattern.compile("=\\?UTF-8\\?B\\?([^?]*)\\?=");

  private NotifyFixtures() {}

  /** A fresh database, loopback allowed, and the given default ntfy server. */
  static Map<String, String> properties(String defaultNtfyServer) {
    Map<String, String> properties = new HashMap<>(TestDatabase.freshDatasourceProperties());
    properties.put("taskpilot.network.allowed-hosts", "127.0.0.1/32");
    properties.put("taskpilot.public-url", PUBLIC_URL + "/");
    properties.put("taskpilot.notify.ntfy.server", defaultNtfyServer);
    properties.put("taskpilot.notify.ntfy.token", CONFIGURED_TOKEN);
    properties.put("taskpilot.notify.timeout", "PT5S");
    return properties;
  }

  /** Stores a new task row (the audit and the tokens refer to it) and returns its id. */
  static String newTask(TaskRepository tasks) {
    return TaskRows.insert(tasks, "RUNNING");
  }

  /** Decodes a header of RFC 2047 encoded words separated by spaces (plain ASCII stays as is). */
  static String decodeEncodedWords(String header) {
    if (!header.startsWith("=?")) {
      return header;
    }
    List<String> parts = new ArrayList<>();
    Matcher matcher = ENCODED_WORD.matcher(header);
    int end = 0;
    while (matcher.find()) {
      if (!header.substring(end, matcher.start()).isBlank()) {
        throw new AssertionError("text between encoded words: " + header);
      }
      parts.add(new String(Base64.getDecoder().decode(matcher.group(1)), StandardCharsets.UTF_8));
      end = matcher.end();
    }
    if (end != header.length()) {
      throw new AssertionError("not only encoded words: " + header);
    }
    return String.join("", parts);
  }
}
