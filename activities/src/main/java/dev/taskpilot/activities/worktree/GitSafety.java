package dev.taskpilot.activities.worktree;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the worker runs git, so that nothing an agent wrote runs as the worker: every command gets
 * {@code -c core.hooksPath=/dev/null -c core.fsmonitor=false} (no hook, no fsmonitor command, from
 * any configuration), never a prompt, only the transports the caller allows ({@code
 * GIT_ALLOW_PROTOCOL}; none for local commands), and no repository location from the worker's
 * environment. Commands in a task's worktree are pinned to its {@link VerifiedWorktree verified}
 * repository, so the worktree's own {@code .git} is never followed. A repository whose own
 * configuration runs commands or redirects a push ({@link #UNTRUSTED_KEYS}) is refused: such
 * settings are honoured only from the operator's global and system configuration.
 */
public final class GitSafety {
  /** Transports for commands that reach no remote: none. */
  public static final String NO_PROTOCOLS = "";

  /** Options every git command gets, before its subcommand. */
  static final List<String> OPTIONS =
      List.of(
          "-c", "core.hooksPath=/dev/null",
          "-c", "core.fsmonitor=false",
          // Redirects could lead a push somewhere the SSRF guard never checked.
          "-c", "http.followRedirects=false");

  /**
   * Repository settings that run a command in the commands Taskpilot runs (filters on add and
   * checkout, credential helpers, ssh and proxy commands, a remote's pack programs) or send a push
   * elsewhere than the checked remote (URL rewrites, proxies, pinned addresses).
   */
  static final Pattern UNTRUSTED_KEYS =
      Pattern.compile(
          "filter\\..+\\.(clean|smudge|process)"
              + "|core\\.(sshcommand|gitproxy|askpass)"
              + "|credential\\.(.+\\.)?helper"
              + "|remote\\..+\\.(receivepack|uploadpack|vcs|proxy)"
              + "|url\\..+\\.(insteadof|pushinsteadof)"
              + "|http\\.(.+\\.)?(proxy|curloptresolve)");

  private static final List<String> LOCATION_VARIABLES =
      List.of(
          "GIT_DIR",
          "GIT_WORK_TREE",
          "GIT_COMMON_DIR",
          "GIT_INDEX_FILE",
          "GIT_OBJECT_DIRECTORY",
          "GIT_ALTERNATE_OBJECT_DIRECTORIES",
          "GIT_NAMESPACE",
          "GIT_CEILING_DIRECTORIES");

  private GitSafety() {}

  /** {@code git -C directory <OPTIONS> arguments...}. */
  public static List<String> command(Path directory, List<String> arguments) {
    List<String> command = new ArrayList<>(List.of("git", "-C", directory.toString()));
    command.addAll(OPTIONS);
    command.addAll(arguments);
    return command;
  }

  /**
   * Prepares a git process's environment (the worker's own, as a {@link ProcessBuilder} starts with
   * it): no repository location from it, no prompt, only {@code allowedProtocols}.
   *
   * @param allowedProtocols {@code GIT_ALLOW_PROTOCOL} syntax; {@link #NO_PROTOCOLS} for none
   */
  public static void environment(Map<String, String> environment, String allowedProtocols) {
    LOCATION_VARIABLES.forEach(environment::remove);
    environment.put("GIT_TERMINAL_PROMPT", "0");
    environment.put("GIT_ALLOW_PROTOCOL", allowedProtocols);
    environment.put("GIT_PROTOCOL_FROM_USER", "0");
    environment.putIfAbsent("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
  }

  /**
   * Refuses a repository whose own configuration (its {@code config}, a worktree's {@code
   * config.worktree} and what they include) holds an {@link #UNTRUSTED_KEYS untrusted} setting.
   *
   * @param directory where git runs: a workspace, or a verified worktree with {@code pinned}
   * @param pinned the variables that pin git to a repository (empty to let git find it)
   * @throws UntrustedGitException naming the settings
   */
  public static void requireTrustedConfig(Path directory, Map<String, String> pinned) {
    String listing =
        Git.run(directory, pinned, "config", "--list", "--includes", "--show-scope", "--name-only");
    List<String> keys =
        listing
            .lines()
            .map(line -> line.split("\t", 2))
            .filter(parts -> parts.length == 2)
            .filter(parts -> parts[0].equals("local") || parts[0].equals("worktree"))
            .map(parts -> parts[1])
            .toList();
    List<String> untrusted = untrusted(keys);
    if (!untrusted.isEmpty()) {
      throw new UntrustedGitException(
          "the repository of "
              + directory
              + " configures "
              + String.join(", ", untrusted)
              + " in its own config, which an agent may have written; Taskpilot runs no git"
              + " command there (set it in the global git config if you mean it)");
    }
  }

  /** The keys among {@code keys} (names as git lists them) that are not trusted. */
  static List<String> untrusted(List<String> keys) {
    return keys.stream()
        .filter(key -> UNTRUSTED_KEYS.matcher(key.toLowerCase(Locale.ROOT)).matches())
        .distinct()
        .toList();
  }
}
