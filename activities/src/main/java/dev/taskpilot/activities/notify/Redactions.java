package dev.taskpilot.activities.notify;

import java.util.ArrayList;
import java.util.List;

/**
 * The secrets one attempt handles (an access token, an approval token, a URL that may carry one),
 * replaced by {@code ***} in any text that leaves the attempt: the audit's error, the log.
 */
final class Redactions {
  private final List<String> secrets = new ArrayList<>();

  void add(String secret) {
    if (secret != null && !secret.isEmpty()) {
      secrets.add(secret);
    }
  }

  String apply(String text) {
    String redacted = text;
    // Longest first, so a URL goes whole before a token inside it is looked for.
    List<String> ordered = new ArrayList<>(secrets);
    ordered.sort((a, b) -> b.length() - a.length());
    for (String secret : ordered) {
      redacted = redacted.replace(secret, "***");
    }
    return redacted;
  }
}
