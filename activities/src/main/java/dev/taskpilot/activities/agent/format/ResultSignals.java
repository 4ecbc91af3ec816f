package dev.taskpilot.activities.agent.format;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what an agent's final words mean for the task: a question for the user, or a provider usage
 * limit with the time it resets.
 *
 * <h2>Limit patterns</h2>
 *
 * {@link #usageLimitReset(String, List, ZoneId, Instant)} tries the patterns in order and takes the
 * first match it can turn into an instant. A pattern says what it found through named groups:
 *
 * <ul>
 *   <li>{@code epoch}: the reset time in epoch seconds (or epoch milliseconds, from 12 digits on)
 *   <li>{@code seconds}: the reset is this many seconds after {@code now}
 *   <li>{@code hour} (0–23, or 1–12 with {@code ampm}), optional {@code minute}, optional {@code
 *       ampm} (text starting with {@code a} or {@code p}, case-insensitive), optional {@code tz} (a
 *       zone id such as {@code Europe/Berlin}; an unknown one falls back to the given zone): a
 *       wall-clock time without a date, resolved to its next occurrence after {@code now}
 * </ul>
 *
 * A pattern with none of {@code epoch}, {@code seconds} or {@code hour} never yields anything.
 */
public final class ResultSignals {

  /** The prefix that marks a final answer as a question for the user. */
  public static final String DEFAULT_QUESTION_PREFIX = "QUESTION:";

  /**
   * Claude Code's "Claude AI usage limit reached|1735689600": the reset time in epoch seconds.
   * Group {@code epoch}.
   */
  public static final Pattern EPOCH_LIMIT =
      Pattern.compile("(?i)usage limit reached\\s*\\|\\s*(?<epoch>\\d{9,13})\\b");

  /**
   * A limit message with a wall-clock reset time: "…usage limit reached · resets 2:30pm", "limit
   * reached|resets 2:30pm (Europe/Berlin)", "5-hour limit reached ∙ resets 4pm", "…limit reached,
   * resets at 14:30", "…will reset at 5pm", "…usage limit… try again at 3:04 PM". The word {@code
   * limit} must come first, within 100 characters on the same line; the time needs minutes or
   * am/pm. Groups {@code hour}, {@code minute}, {@code ampm}, {@code tz}.
   */
  public static final Pattern CLOCK_LIMIT =
      Pattern.compile(
          "(?i)\\blimit\\b[^\\n]{0,100}?\\b(?:resets?|try again)\\s+(?:at\\s+)?"
              + "(?=\\d{1,2}(?::\\d{2}|\\s*[ap]\\.?m\\b))"
              + "(?<hour>\\d{1,2})(?::(?<minute>\\d{2}))?(?!\\d)"
              + "(?:\\s*(?<ampm>[ap])\\.?m\\b\\.?)?"
              + "(?:\\s*\\((?<tz>[A-Za-z][\\w+\\-]*(?:/[\\w+\\-]+)*)\\))?");

  /**
   * A rate limit (HTTP 429, "rate limit", "too many requests" anywhere in the text) that says
   * "retry after N seconds" (also "retry-after: N"). Group {@code seconds}.
   */
  public static final Pattern RETRY_AFTER =
      Pattern.compile(
          "(?is)\\A(?=.*?(?:\\b429\\b|rate[ _-]?limit|too many requests))"
              + ".*?\\bretry[- ]after\\b:?\\s*(?<seconds>\\d{1,9})(?![\\d:.]\\d)"
              + "(?:\\s*(?:seconds?|secs?|s)\\b)?");

  /** The patterns {@link #usageLimitReset(String, ZoneId, Instant)} uses, in order. */
  public static final List<Pattern> DEFAULT_LIMIT_PATTERNS =
      List.of(EPOCH_LIMIT, CLOCK_LIMIT, RETRY_AFTER);

  private static final long EPOCH_MILLIS_FROM = 100_000_000_000L;

  private ResultSignals() {}

  /** {@link #question(AgentEvent.Result, String)} with {@link #DEFAULT_QUESTION_PREFIX}. */
  public static Optional<String> question(AgentEvent.Result result) {
    return question(result, DEFAULT_QUESTION_PREFIX);
  }

  /**
   * The question a successful result asks the user.
   *
   * @param result the agent's result; {@code null} and failed results ask nothing
   * @param questionPrefix the case-sensitive marker the result text must start with (after leading
   *     white space); {@code null} or blank for {@link #DEFAULT_QUESTION_PREFIX}
   * @return the text after the prefix, stripped; empty when there is no (non-blank) question
   */
  public static Optional<String> question(AgentEvent.Result result, String questionPrefix) {
    if (result == null || result.isError()) {
      return Optional.empty();
    }
    return question(result.resultText(), questionPrefix);
  }

  /** The question in {@code text}, as {@link #question(AgentEvent.Result, String)} finds it. */
  public static Optional<String> question(String text, String questionPrefix) {
    String prefix =
        questionPrefix == null || questionPrefix.isBlank()
            ? DEFAULT_QUESTION_PREFIX
            : questionPrefix;
    if (text == null) {
      return Optional.empty();
    }
    String stripped = text.stripLeading();
    if (!stripped.startsWith(prefix)) {
      return Optional.empty();
    }
    String question = stripped.substring(prefix.length()).strip();
    return question.isEmpty() ? Optional.empty() : Optional.of(question);
  }

  /**
   * {@link #usageLimitReset(String, List, ZoneId, Instant)} with {@link #DEFAULT_LIMIT_PATTERNS}.
   */
  public static Optional<Instant> usageLimitReset(String text, ZoneId zone, Instant now) {
    return usageLimitReset(text, DEFAULT_LIMIT_PATTERNS, zone, now);
  }

  /**
   * When a provider usage or rate limit that {@code text} reports resets.
   *
   * @param text an agent's result or error text; {@code null} reports nothing
   * @param patterns the patterns to try, in order, with the named groups described on this class
   * @param zone the zone for wall-clock times that name none; {@code null} for UTC
   * @param now the current time; clock times resolve to their next occurrence after it
   * @return the reset instant; empty when no pattern matches usefully
   */
  public static Optional<Instant> usageLimitReset(
      String text, List<Pattern> patterns, ZoneId zone, Instant now) {
    if (text == null || text.isEmpty() || patterns == null) {
      return Optional.empty();
    }
    ZoneId defaultZone = zone == null ? ZoneOffset.UTC : zone;
    for (Pattern pattern : patterns) {
      if (pattern == null) {
        continue;
      }
      Matcher matcher = pattern.matcher(text);
      while (matcher.find()) {
        Optional<Instant> reset = resolve(matcher, defaultZone, now);
        if (reset.isPresent()) {
          return reset;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Instant> resolve(Matcher matcher, ZoneId zone, Instant now) {
    String epoch = group(matcher, "epoch");
    if (epoch != null) {
      try {
        long value = Long.parseLong(epoch);
        return Optional.of(
            value >= EPOCH_MILLIS_FROM
                ? Instant.ofEpochMilli(value)
                : Instant.ofEpochSecond(value));
      } catch (NumberFormatException | DateTimeException e) {
        return Optional.empty();
      }
    }
    String seconds = group(matcher, "seconds");
    if (seconds != null) {
      try {
        return Optional.of(now.plusSeconds(Long.parseLong(seconds)));
      } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
        return Optional.empty();
      }
    }
    String hour = group(matcher, "hour");
    if (hour != null) {
      return clockTime(hour, group(matcher, "minute"), group(matcher, "ampm"))
          .map(time -> nextOccurrence(time, zoneOf(group(matcher, "tz"), zone), now));
    }
    return Optional.empty();
  }

  private static Optional<LocalTime> clockTime(String hourText, String minuteText, String ampm) {
    int hour;
    int minute;
    try {
      hour = Integer.parseInt(hourText.strip());
      minute = minuteText == null ? 0 : Integer.parseInt(minuteText.strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (ampm != null && !ampm.isBlank()) {
      char half = ampm.strip().toLowerCase(Locale.ROOT).charAt(0);
      if (hour < 1 || hour > 12 || (half != 'a' && half != 'p')) {
        return Optional.empty();
      }
      hour = hour % 12 + (half == 'p' ? 12 : 0);
    }
    if (hour > 23 || minute > 59 || hour < 0 || minute < 0) {
      return Optional.empty();
    }
    return Optional.of(LocalTime.of(hour, minute));
  }

  private static Instant nextOccurrence(LocalTime time, ZoneId zone, Instant now) {
    ZonedDateTime candidate = ZonedDateTime.of(now.atZone(zone).toLocalDate(), time, zone);
    if (!candidate.toInstant().isAfter(now)) {
      candidate = ZonedDateTime.of(candidate.toLocalDate().plusDays(1), time, zone);
    }
    return candidate.toInstant();
  }

  private static ZoneId zoneOf(String tz, ZoneId fallback) {
    if (tz == null || tz.isBlank()) {
      return fallback;
    }
    try {
      return ZoneId.of(tz.strip(), ZoneId.SHORT_IDS);
    } catch (DateTimeException e) {
      return fallback;
    }
  }

  private static String group(Matcher matcher, String name) {
    if (!matcher.pattern().namedGroups().containsKey(name)) {
      return null;
    }
    return matcher.group(name);
  }
}
