package dev.taskpilot.activities.agent.profile;

import dev.taskpilot.activities.agent.format.AgentOutputFormat;
import dev.taskpilot.activities.agent.format.ResultSignals;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One agent profile, configured under {@code taskpilot.agents.<name>}.
 *
 * @param name the profile name tasks refer to
 * @param command the program and its arguments; run without a shell
 * @param prompt how the prompt reaches the process
 * @param format how the output is parsed; only {@code text} for now
 * @param env names of server environment variables passed through to the process
 * @param timeout how long a run may take when the task names no timeout
 * @param stallTimeout how long the process may print nothing before it counts as stalled and is
 *     killed
 * @param sandbox how the process is confined
 * @param resumeArgs arguments added to the command to continue a session, with {@code {sessionId}}
 *     standing for the id, e.g. {@code [--resume, "{sessionId}"]}; empty when the agent cannot
 *     resume (a retry then starts over)
 * @param questionPrefix the text a final result starts with when the agent asks the human
 * @param limitPatterns regular expressions that recognise the provider's usage-limit answers, with
 *     the named groups of {@code ResultSignals}; empty for the built-in ones
 * @param authFailureLimit refusals of the credentials in a row after which the run is stopped (0
 *     never stops it)
 * @param separatePrompt whether an {@code argument} prompt comes after {@code --}, so that the
 *     agent never reads it as an option (true by default); when false, a prompt starting with
 *     {@code -} is refused
 * @param sandboxPaths absolute paths a sandboxed agent sees read-only besides the system
 *     directories, its program and its workspace (where the agent CLI is installed, say)
 * @param allowedHosts the hosts a sandboxed agent may reach through the worker's proxy (see {@link
 *     AllowedHosts}); none means no network at all
 */
@EachProperty("taskpilot.agents")
public record AgentProfile(
    @Parameter String name,
    @Nullable List<String> command,
    @Bindable(defaultValue = "ARGUMENT") PromptMode prompt,
    @Bindable(defaultValue = TEXT) String format,
    @Nullable List<String> env,
    @Bindable(defaultValue = "30m") Duration timeout,
    @Bindable(defaultValue = "10m") Duration stallTimeout,
    @Bindable(defaultValue = "AUTO") AgentSandbox sandbox,
    @Nullable List<String> resumeArgs,
    @Bindable(defaultValue = ResultSignals.DEFAULT_QUESTION_PREFIX) String questionPrefix,
    @Nullable List<String> limitPatterns,
    @Bindable(defaultValue = "3") int authFailureLimit,
    @Bindable(defaultValue = "true") boolean separatePrompt,
    @Nullable List<String> sandboxPaths,
    @Nullable List<String> allowedHosts) {

  /** The plain-text output format: every line is stored as it is. */
  public static final String TEXT = "text";

  /** The output formats this build can parse. */
  public static final Set<String> FORMATS = AgentOutputFormat.NAMES;

  /** The default of {@link #stallTimeout()}. */
  public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofMinutes(10);

  /** A profile with the default stall timeout and sandbox. */
  public AgentProfile(
      String name,
      List<String> command,
      PromptMode prompt,
      String format,
      List<String> env,
      Duration timeout) {
    this(
        name, command, prompt, format, env, timeout, null, null, null, null, null, 3, true, null,
        null);
  }

  /** A profile that cannot resume, with the default question prefix and limit patterns. */
  public AgentProfile(
      String name,
      List<String> command,
      PromptMode prompt,
      String format,
      List<String> env,
      Duration timeout,
      Duration stallTimeout,
      AgentSandbox sandbox) {
    this(
        name,
        command,
        prompt,
        format,
        env,
        timeout,
        stallTimeout,
        sandbox,
        null,
        null,
        null,
        3,
        true,
        null,
        null);
  }

  /** This profile with another sandbox, read-only paths and allowed hosts. */
  public AgentProfile withSandbox(
      AgentSandbox mode, List<String> readOnlyPaths, List<String> hosts) {
    return new AgentProfile(
        name,
        command,
        prompt,
        format,
        env,
        timeout,
        stallTimeout,
        mode,
        resumeArgs,
        questionPrefix,
        limitPatterns,
        authFailureLimit,
        separatePrompt,
        readOnlyPaths,
        hosts);
  }

  /** Checks the profile, so a broken one fails at startup with the key to fix. */
  @Creator
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
    stallTimeout = stallTimeout == null ? DEFAULT_STALL_TIMEOUT : stallTimeout;
    if (stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new ConfigurationException(key + ".stall-timeout must be positive");
    }
    sandbox = sandbox == null ? AgentSandbox.AUTO : sandbox;
    sandboxPaths = sandboxPaths == null ? List.of() : List.copyOf(sandboxPaths);
    for (String path : sandboxPaths) {
      if (path.isBlank() || !Path.of(path).isAbsolute()) {
        throw new ConfigurationException(
            key + ".sandbox-paths lists absolute paths; '" + path + "' is not one");
      }
    }
    allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    try {
      AllowedHosts.parse(allowedHosts);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(key + ".allowed-hosts: " + e.getMessage());
    }
    resumeArgs = resumeArgs == null ? List.of() : List.copyOf(resumeArgs);
    questionPrefix =
        questionPrefix == null || questionPrefix.isBlank()
            ? ResultSignals.DEFAULT_QUESTION_PREFIX
            : questionPrefix;
    limitPatterns = limitPatterns == null ? List.of() : List.copyOf(limitPatterns);
    for (String pattern : limitPatterns) {
      try {
        Pattern.compile(pattern);
      } catch (PatternSyntaxException e) {
        throw new ConfigurationException(key + ".limit-patterns: " + e.getMessage());
      }
    }
  }

  /** The parsed {@link #allowedHosts()}. */
  public AllowedHosts hosts() {
    return AllowedHosts.parse(allowedHosts);
  }

  /** Whether a session of this agent can be continued. */
  public boolean canResume() {
    return !resumeArgs.isEmpty();
  }

  /** The usage-limit patterns: the configured ones, else the built-in ones. */
  public List<Pattern> compiledLimitPatterns() {
    return limitPatterns.isEmpty()
        ? ResultSignals.DEFAULT_LIMIT_PATTERNS
        : limitPatterns.stream().map(Pattern::compile).toList();
  }
}
