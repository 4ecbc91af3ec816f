package dev.taskpilot.activities.agent.process;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a byte stream into UTF-8 lines of bounded length. Bytes past the limit are dropped and the
 * line is marked as truncated, so one endless line cannot exhaust memory.
 */
final class LineAssembler {
  private final byte[] line;
  private final Consumer<String> lines;
  private int length;
  private long dropped;

  LineAssembler(int maxLineBytes, Consumer<String> lines) {
    this.line = new byte[maxLineBytes];
    this.lines = lines;
  }

  /** Takes the next {@code count} bytes of the stream. */
  void feed(byte[] buffer, int count) {
    int start = 0;
    for (int i = 0; i < count; i++) {
      if (buffer[i] == '\n') {
        append(buffer, start, i - start);
        emit();
        start = i + 1;
      }
    }
    append(buffer, start, count - start);
  }

  /** Ends the stream, emitting a last line that had no line break. */
  void finish() {
    if (length > 0 || dropped > 0) {
      emit();
    }
  }

  private void append(byte[] buffer, int offset, int count) {
    int taken = Math.min(count, line.length - length);
    System.arraycopy(buffer, offset, line, length, taken);
    length += taken;
    dropped += count - taken;
  }

  private void emit() {
    int end = length;
    if (dropped == 0 && end > 0 && line[end - 1] == '\r') {
      end--;
    }
    // PostgreSQL text cannot hold NUL characters.
    String text = new String(line, 0, end, StandardCharsets.UTF_8).replace('\0', '\uFFFD');
    if (dropped > 0) {
      text = text + " [... " + dropped + " more bytes truncated]";
    }
    length = 0;
    dropped = 0;
    lines.accept(text);
  }
}
