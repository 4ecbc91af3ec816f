package dev.taskpilot.activities.agent.format;

import java.util.regex.Pattern;

/**
 * The shape a session id read from an agent's output must have before it may go into the profile's
 * {@code resume-args}: letters, digits and {@code . _ : -}, starting with a letter or digit (never
 * an option), at most 128 characters. Claude's UUIDs and Codex's thread ids fit.
 */
public final class SessionIds {
  /** The accepted shape, for messages. */
  public static final String SHAPE = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";

  private static final Pattern VALID = Pattern.compile(SHAPE);

  private SessionIds() {}

  /** Whether {@code id} may be passed to the agent. */
  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  /** {@code id} when it is valid, otherwise null: an agent that printed another is not resumed. */
  static String validOrNull(String id) {
    return isValid(id) ? id : null;
  }
}
