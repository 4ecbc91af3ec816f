package dev.taskpilot.activities.agent;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One agent profile, configured under {@code taskpilot.agents.<name>}.
 *
 * @param name the profile name tasks refer to
 * @param command the program and its arguments; run without a shell
 * @param prompt how the prompt reaches the process
 * @param format how the output is parsed; only {@code text} for now
 * @param env names of server environment variables passed through to the process
 * @param timeout how long a run may take when the task names no timeout
 */
@EachProperty("taskpilot.agents")
public record AgentProfile(
    @Parameter String name,
    @Nullable List<String> command,
    @Bindable(defaultValue = "ARGUMENT") PromptMode prompt,
    @Bindable(defaultValue = TEXT) String format,
    @Nullable List<String> env,
    @Bindable(defaultValue = "30m") Duration timeout) {

  /** The plain-text output format: every line is stored as it is. */
  public static final String TEXT = "text";

  /** The output formats this build can parse. */
  public static final Set<String> FORMATS = Set.of(TEXT);

  /** Checks the profile, so a broken one fails at startup with the key to fix. */
  public AgentProfile {
    String key = "taskpilot.agents." + name;
    if (command == null || command.isEmpty() || command.getFirst().isBlank()) {
      throw new ConfigurationException(key + ".command must list the program and its arguments");
    }
    command = List.copyOf(command);
    prompt = prompt == null ? PromptMode.ARGUMENT : prompt;
    format = format == null ? TEXT : format.trim();
    if (!FORMATS.contains(format)) {
      throw new ConfigurationException(
          key + ".format '" + format + "' is not supported; supported formats: " + FORMATS);
    }
    env = env == null ? List.of() : List.copyOf(env);
    for (String variable : env) {
      if (variable.isBlank() || variable.contains("=")) {
        throw new ConfigurationException(
            key + ".env lists environment variable names; '" + variable + "' is not one");
      }
    }
    timeout = timeout == null ? Duration.ofMinutes(30) : timeout;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ConfigurationException(key + ".timeout must be positive");
    }
  }
}
