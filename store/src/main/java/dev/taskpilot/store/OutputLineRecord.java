package dev.taskpilot.store;

import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;

/** One line of an agent's output. */
@MappedEntity("task_output")
public record OutputLineRecord(
    @Id @GeneratedValue Long id,
    String taskId,
    long lineNo,
    int attempt,
    @MappedProperty("text") String text,
    Instant createdAt) {

  /**
   * The bytes a line of output takes: its text in UTF-8 and its line break, as {@link
   * OutputLineRepository#storedBytes} sums them. Counted without encoding; a surrogate pair counts
   * four bytes.
   */
  public static long bytes(String text) {
    long length = text.length() + 1L;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x800) {
        length += Character.isSurrogate(c) ? 1 : 2;
      } else if (c >= 0x80) {
        length++;
      }
    }
    return length;
  }
}
