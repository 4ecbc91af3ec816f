package dev.taskpilot.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Help.Ansi;

/**
 * Follows a task's {@code /events} stream: prints every output line and a status line (status,
 * elapsed time, cost), until the final status. Reconnects with {@code Last-Event-ID} when the
 * stream drops before the task ended.
 */
final class TaskWatch {
  static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "REJECTED");
  private static final int RECONNECTS = 5;

  private final ApiClient api;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean colour;

  TaskWatch(ApiClient api, PrintWriter out, PrintWriter err, boolean colour) {
    this.api = api;
    this.out = out;
    this.err = err;
    this.colour = colour;
  }

  /** Colours only when stdout is a terminal. */
  static boolean colourOnTty() {
    return Ansi.AUTO.enabled();
  }

  /**
   * Watches until the task ends; 0 when it SUCCEEDED, 1 for another end, 2 when the stream was
   * lost.
   */
  int watch(String id) {
    String lastEventId = null;
    JsonNode last = null;
    String lastStatus = null;
    for (int attempt = 0; attempt <= RECONNECTS; attempt++) {
      try (Stream<String> lines =
          api.events("api/v1/tasks/" + RemoteCall.encode(id) + "/events", lastEventId)) {
        String event = null;
        StringBuilder data = new StringBuilder();
        String eventId = null;
        Iterator<String> iterator = lines.iterator();
        while (iterator.hasNext()) {
          String line = iterator.next();
          if (line.isEmpty()) {
            if (event != null || !data.isEmpty()) {
              if (eventId != null) {
                lastEventId = eventId;
              }
              JsonNode json = parse(data.toString());
              if ("output".equals(event)) {
                out.println(printable(json.path("text").asText()));
              } else if ("status".equals(event)) {
                last = json;
                String status = json.path("status").asText();
                if (!status.equals(lastStatus) && !TERMINAL.contains(status)) {
                  out.println(statusLine(json));
                }
                lastStatus = status;
              }
              out.flush();
            }
            event = null;
            eventId = null;
            data.setLength(0);
          } else if (line.startsWith("event:")) {
            event = line.substring(6).strip();
          } else if (line.startsWith("id:")) {
            eventId = line.substring(3).strip();
          } else if (line.startsWith("data:")) {
            if (!data.isEmpty()) {
              data.append('\n');
            }
            String value = line.substring(5);
            data.append(value.startsWith(" ") ? value.substring(1) : value);
          }
        }
      } catch (UncheckedIOException e) {
        // the stream dropped: resume below
      }
      if (last != null && TERMINAL.contains(last.path("status").asText())) {
        // the stream ends after the final status (and, for a task that had ended, its output)
        out.println(statusLine(last));
        out.flush();
        return "SUCCEEDED".equals(last.path("status").asText()) ? 0 : 1;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    err.println("taskpilot: the event stream of " + id + " ended before the task did");
    err.flush();
    return 2;
  }

  /** {@code [SUCCEEDED] t-1 · 12s · $0.0100}, coloured by status on a terminal. */
  String statusLine(JsonNode task) {
    String status = task.path("status").asText();
    Instant created = instant(task.path("createdAt"));
    Instant end = TERMINAL.contains(status) ? instant(task.path("updatedAt")) : Instant.now();
    String elapsed = created == null || end == null ? "-" : format(Duration.between(created, end));
    JsonNode cost = task.path("run").path("costUsd");
    String costText =
        cost.isNumber() || cost.isTextual()
            ? "$" + new BigDecimal(cost.asText()).toPlainString()
            : "$-";
    String reason =
        task.path("statusReason").isTextual()
            ? " (" + task.path("statusReason").asText() + ")"
            : "";
    String head = "[" + status + "]";
    if (colour) {
      String code =
          switch (status) {
            case "SUCCEEDED" -> "fg(green),bold";
            case "FAILED", "REJECTED" -> "fg(red),bold";
            case "CANCELLED", "AWAITING_APPROVAL", "WAITING_FOR_INPUT", "PAUSED" ->
                "fg(yellow),bold";
            default -> "fg(cyan),bold";
          };
      head = Ansi.ON.string("@|" + code + " " + head + "|@");
    }
    return head + " " + task.path("id").asText() + " · " + elapsed + " · " + costText + reason;
  }

  /**
   * The line with its control characters (ANSI escapes among them) shown as {@code ^X}: an agent's
   * output cannot move the cursor, retitle the terminal or forge the status line.
   */
  static String printable(String text) {
    StringBuilder shown = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (c == '\t' || (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0))) {
                shown.appendCodePoint(c);
              } else {
                shown.append('^').append(c < 0x20 ? (char) (c + 0x40) : '?');
              }
            });
    return shown.toString();
  }

  private static String format(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    return seconds >= 60 ? (seconds / 60) + "m" + (seconds % 60) + "s" : seconds + "s";
  }

  private static Instant instant(JsonNode node) {
    try {
      return node.isTextual() ? Instant.parse(node.asText()) : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static JsonNode parse(String data) {
    try {
      return ApiClient.JSON.readTree(data.isEmpty() ? "{}" : data);
    } catch (IOException e) {
      return ApiClient.JSON.createObjectNode().put("text", data);
    }
  }
}
