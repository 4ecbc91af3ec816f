package dev.taskpilot.app.logging;

/**
 * Text made safe for a line of the log: line breaks and other control characters are written as
 * escapes ({@code \n}, {@code \r}, {@code \u001b}, ...), so that text a user or an agent wrote (a
 * title, a workspace name, a URL path) can never start a line of its own and pass for another log
 * record, nor drive a terminal. Tabs stay.
 */
public final class LogText {
  private LogText() {}

  /** {@code text} with every control character but the tab escaped; null stays null. */
  public static String escape(String text) {
    if (text == null || !needsEscaping(text)) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                default -> {
                  if (unsafe(c)) {
                    escaped.append(String.format("\\u%04x", c));
                  } else {
                    escaped.appendCodePoint(c);
                  }
                }
              }
            });
    return escaped.toString();
  }

  private static boolean needsEscaping(String text) {
    return text.codePoints().anyMatch(LogText::unsafe);
  }

  /** C0 and C1 controls (NEL among them), DEL, and the Unicode line and paragraph separators. */
  private static boolean unsafe(int c) {
    return (Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029';
  }
}
