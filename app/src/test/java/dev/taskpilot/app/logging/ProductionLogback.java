package dev.taskpilot.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/** The production {@code logback.xml}, loaded into a context of its own for a test. */
public final class ProductionLogback {
  private ProductionLogback() {}

  /**
   * A new context configured from the production file, with {@code TASKPILOT_LOG_FORMAT} set to
   * {@code format} (null: as the environment has it), failing on any warning.
   */
  public static LoggerContext configure(String format) {
    LoggerContext context = new LoggerContext();
    if (format != null) {
      context.putProperty("TASKPILOT_LOG_FORMAT", format);
    }
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    URL production = ProductionLogback.class.getClassLoader().getResource("logback.xml");
    assertThat(production).as("the production logback.xml on the class path").isNotNull();
    try {
      configurator.doConfigure(production);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    List<Status> errors =
        context.getStatusManager().getCopyOfStatusList().stream()
            .filter(status -> status.getLevel() >= Status.WARN)
            .toList();
    assertThat(errors).as("problems configuring logback.xml").isEmpty();
    return context;
  }

  /** The one appender of the root logger. */
  @SuppressWarnings("unchecked")
  public static OutputStreamAppender<ILoggingEvent> stdout(LoggerContext context) {
    List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
    context
        .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
        .iteratorForAppenders()
        .forEachRemaining(appenders::add);
    assertThat(appenders).as("the root logger's appenders").hasSize(1);
    return (OutputStreamAppender<ILoggingEvent>) appenders.getFirst();
  }
}
