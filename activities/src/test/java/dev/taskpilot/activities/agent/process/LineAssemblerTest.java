package dev.taskpilot.activities.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineAssemblerTest {
  private final List<String> lines = new ArrayList<>();
  private final LineAssembler assembler = new LineAssembler(8, lines::add);

  @Test
  void shouldJoinLinesSplitAcrossReadsWhenFedInPieces() {
    // when
    feed("one\ntw");
    feed("o\r\nthree");
    assembler.finish();

    // then
    assertThat(lines).containsExactly("one", "two", "three");
  }

  @Test
  void shouldReplaceNulAndMarkTruncationWhenLineIsTooLong() {
    // when
    feed("a\0b\n0123456789ab\n");

    // then
    assertThat(lines).containsExactly("a\uFFFDb", "01234567 [... 4 more bytes truncated]");
  }

  @Test
  void shouldEmitNothingWhenStreamEndsAfterLineBreak() {
    // when
    feed("only\n");
    assembler.finish();

    // then
    assertThat(lines).containsExactly("only");
  }

  private void feed(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assembler.feed(bytes, bytes.length);
  }
}
