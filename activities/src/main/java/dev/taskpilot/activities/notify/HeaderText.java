package dev.taskpilot.activities.notify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Header values are ASCII: text with anything else becomes RFC 2047 encoded words ({@code
 * =?UTF-8?B?…?=}), which ntfy decodes. Line breaks and other control characters become spaces.
 */
final class HeaderText {
  // 45 bytes give 60 base64 characters: with the 12 around them a word stays within RFC 2047's 75.
  private static final int BYTES_PER_WORD = 45;

  private HeaderText() {}

  static String of(String text) {
    String flat = text.replaceAll("\\p{Cntrl}", " ");
    if (flat.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return flat;
    }
    StringBuilder words = new StringBuilder();
    StringBuilder chunk = new StringBuilder();
    int chunkBytes = 0;
    for (int i = 0; i < flat.length(); ) {
      int codePoint = flat.codePointAt(i);
      String character = new String(Character.toChars(codePoint));
      int bytes = character.getBytes(StandardCharsets.UTF_8).length;
      if (chunkBytes + bytes > BYTES_PER_WORD) {
        appendWord(words, chunk);
        chunk.setLength(0);
        chunkBytes = 0;
      }
      chunk.append(character);
      chunkBytes += bytes;
      i += Character.charCount(codePoint);
    }
    appendWord(words, chunk);
    return words.toString();
  }

  // Whole characters per word: each word decodes on its own, as RFC 2047 requires.
  private static void appendWord(StringBuilder words, CharSequence chunk) {
    if (chunk.isEmpty()) {
      return;
    }
    if (!words.isEmpty()) {
      words.append(' ');
    }
    words
        .append("=?UTF-8?B?")
        .append(
            Base64.getEncoder().encodeToString(chunk.toString().getBytes(StandardCharsets.UTF_8)))
        .append("?=");
  }
}
