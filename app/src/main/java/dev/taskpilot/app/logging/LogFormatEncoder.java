package dev.taskpilot.app.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.util.Locale;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * The encoder {@code TASKPILOT_LOG_FORMAT} selects: {@code text} (the pattern, the default) or
 * {@code json} (logstash-logback-encoder: one JSON object a line, every MDC entry a field). One
 * appender with this encoder, rather than one appender a format, so that no appender is left
 * unreferenced (which logback reports as a warning at every start). An unknown format is a
 * configuration error, and the text format is used.
 */
public class LogFormatEncoder extends EncoderBase<ILoggingEvent> {
  private String format = "text";
  private String pattern;
  private Encoder<ILoggingEvent> delegate;

  public void setFormat(String format) {
    this.format = format;
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public void start() {
    String selected = format == null ? "text" : format.strip().toLowerCase(Locale.ROOT);
    if (selected.equals("json")) {
      LogstashEncoder json = new LogstashEncoder();
      json.setTimeZone("UTC");
      json.getFieldNames().setLevelValue("[ignore]");
      delegate = json;
    } else {
      if (!selected.equals("text")) {
        addError("TASKPILOT_LOG_FORMAT is '" + format + "', not text or json: writing text");
      }
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setPattern(pattern);
      delegate = text;
    }
    delegate.setContext(getContext());
    delegate.start();
    super.start();
  }

  @Override
  public void stop() {
    if (delegate != null) {
      delegate.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return delegate.headerBytes();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return delegate.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return delegate.footerBytes();
  }
}
