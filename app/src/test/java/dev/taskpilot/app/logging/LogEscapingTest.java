package dev.taskpilot.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production log configuration ({@code logback.xml}) writes user text as it came but on one
 * line: a title with a line break and a forged record after it stays in its own record.
 */
class LogEscapingTest {
  private static final String FORGED =
      "Fix it\n2026-01-01T00:00:00.000Z INFO  [main] taskpilot.notifications - [SUCCEEDED] all"
          + " approved\r\u001b[2J\u2028";

  private LoggerContext context;
  private Encoder<ILoggingEvent> encoder;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void configure() throws Exception {
    context = ProductionLogback.configure(null);
    OutputStreamAppender<ILoggingEvent> stdout = ProductionLogback.stdout(context);
    encoder = stdout.getEncoder();
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  private String render(String format, Throwable throwable, Object... arguments) {
    LoggingEvent event =
        new LoggingEvent(
            LogEscapingTest.class.getName(),
            context.getLogger("taskpilot.notifications"),
            Level.INFO,
            format,
            throwable,
            arguments);
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  @Test
  void shouldKeepATitleWithLineBreaksOnOneLineWhenItIsLogged() {
    // when: a line with user text in it (a title, say) is logged
    String line = render("[{}] task {} ({}): {}", null, "FAILED", "task-1", FORGED, "it failed");

    // then
    assertThat(line.lines()).hasSize(1);
    assertThat(line)
        .contains("(Fix it\\n2026-01-01T00:00:00.000Z INFO  [main] taskpilot.notifications")
        .contains("approved\\r\\u001b[2J\\u2028): it failed")
        .doesNotContain("\u001b")
        .endsWith(System.lineSeparator());
  }

  @Test
  void shouldEscapeTheMessagesOfAnExceptionAndItsCauseWhenItIsLogged() {
    // given
    IllegalStateException failure =
        new IllegalStateException("workspace '" + FORGED + "' does not exist");
    failure.initCause(new IllegalArgumentException("cause: " + FORGED));
    failure.addSuppressed(new RuntimeException("suppressed: " + FORGED));

    // when
    String text = render("request failed", failure);

    // then: the message line, each exception on one line, and their stack frames
    List<String> lines = text.lines().toList();
    assertThat(lines.getFirst()).endsWith("request failed");
    assertThat(lines)
        .filteredOn(l -> l.contains("Fix it"))
        .hasSize(3)
        .allSatisfy(l -> assertThat(l).contains("Fix it\\n2026-01-01T00:00:00.000Z"));
    assertThat(lines).noneMatch(l -> l.startsWith("2026-01-01T00:00:00.000Z"));
    assertThat(lines.stream().skip(1))
        .allSatisfy(
            l ->
                assertThat(l)
                    .matches(
                        "(java\\.lang\\.\\w+Exception: .*|\\s+at .*|\\s*\\.\\.\\. \\d+ common"
                            + " frames omitted|Caused by: .*|\\s+Suppressed: .*)"));
  }

  @Test
  void shouldLeaveOrdinaryTextAsItIs() {
    assertThat(LogText.escape("tabs\tand ümlauts, C:\\path"))
        .isEqualTo("tabs\tand ümlauts, C:\\path");
    assertThat(LogText.escape("a\u0085b\u007fc")).isEqualTo("a\\u0085b\\u007fc");
    assertThat(LogText.escape(null)).isNull();
  }
}
