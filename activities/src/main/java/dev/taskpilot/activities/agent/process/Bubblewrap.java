package dev.taskpilot.activities.agent.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code bwrap} command line of a sandboxed agent. Its own user (where it can), PID, IPC,
 * network, UTS and cgroup namespaces ({@code --unshare-all}) and no capabilities, also when the
 * worker runs as root; it dies with the worker. It sees {@code /usr} and the {@code /bin}, {@code
 * /sbin} and {@code /lib*} links or directories read-only, a few files of {@code /etc} ({@link
 * #ETC}: not all of it, which may hold the worker's configuration), a fresh {@code /dev}, a {@code
 * /proc} of its own PID namespace (no other process's environment), private {@code /tmp} and {@code
 * /var/tmp}, its home ({@value #HOME}, a directory of its task), the profile's {@code
 * sandbox-paths} and its program read-only, and its workspace read-write; the rest of the root is a
 * read-only tmpfs. Nothing else: not the worker's home, {@code ~/.ssh}, the data directory or other
 * workspaces. With allowed hosts the proxy's socket directory is bound at {@value #PROXY_DIRECTORY}
 * and a constant shell script starts {@code socat} to bridge {@value #PROXY_ADDRESS} to it before
 * it execs the agent.
 */
final class Bubblewrap {
  /** The agent's home inside the sandbox. */
  static final String HOME = "/home/agent";

  /** Where the proxy's socket directory is bound inside the sandbox. */
  static final String PROXY_DIRECTORY = "/run/taskpilot";

  /** The name of the proxy's socket in its directory. */
  static final String PROXY_SOCKET = "proxy.sock";

  /** Where the bridge listens inside the sandbox's own network namespace. */
  static final String PROXY_ADDRESS = "127.0.0.1:3128";

  /** What every sandbox gets first: namespaces, no capabilities, death with the worker. */
  private static final List<String> NAMESPACES =
      List.of("--unshare-all", "--die-with-parent", "--cap-drop", "ALL");

  /** The system directories that may be links into /usr (merged /usr) or directories. */
  private static final List<String> SYSTEM_LINKS =
      List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

  /**
   * What of /etc an agent sees: users and groups, name service and host files, the dynamic linker's
   * cache, CA certificates, time zone, locale and shell set-up, alternatives links. Not
   * /etc/ssl/private, shadow, ssh host keys or any service's configuration.
   */
  static final List<String> ETC =
      List.of(
          "/etc/alternatives",
          "/etc/bash.bashrc",
          "/etc/ca-certificates",
          "/etc/ca-certificates.conf",
          "/etc/crypto-policies",
          "/etc/debian_version",
          "/etc/group",
          "/etc/host.conf",
          "/etc/hostname",
          "/etc/hosts",
          "/etc/inputrc",
          "/etc/ld.so.cache",
          "/etc/ld.so.conf",
          "/etc/ld.so.conf.d",
          "/etc/locale.alias",
          "/etc/localtime",
          "/etc/mime.types",
          "/etc/nsswitch.conf",
          "/etc/os-release",
          "/etc/passwd",
          "/etc/pki/ca-trust",
          "/etc/pki/tls/certs",
          "/etc/profile",
          "/etc/profile.d",
          "/etc/protocols",
          "/etc/services",
          "/etc/ssl/certs",
          "/etc/ssl/openssl.cnf",
          "/etc/timezone");

  /**
   * Started by {@code sh -c} in place of the agent when it may use the network: {@code socat}
   * listens on the bridge port (orphaned, so the agent does not wait for it), the script waits
   * until it does (at most 5 s) and execs the agent ({@code "$@"}), so the agent's arguments are
   * never read by the shell. Port 3128 is {@code 0C38} in {@code /proc/net/tcp}; state 0A is
   * LISTEN.
   */
  static final String BRIDGE =
      "( \"$TASKPILOT_SOCAT\" TCP-LISTEN:3128,bind=127.0.0.1,reuseaddr,fork UNIX-CONNECT:"
          + PROXY_DIRECTORY
          + "/"
          + PROXY_SOCKET
          + " </dev/null >/dev/null 2>&1 & ); n=0; until grep -q ' 0100007F:0C38 00000000:0000 0A'"
          + " /proc/net/tcp; do n=$((n+1)); if [ $n -gt 1000 ]; then echo 'taskpilot sandbox:"
          + " the proxy bridge did not start' >&2; exit 125; fi; sleep 0.005; done; unset"
          + " TASKPILOT_SOCAT; exec \"$@\"";

  private static final Map<Path, Optional<String>> TRIALS = new ConcurrentHashMap<>();

  /**
   * What one sandboxed run needs besides its spec.
   *
   * @param bwrap the {@code bwrap} program
   * @param home the agent's home directory on the worker, bound at {@value #HOME}
   * @param readOnly paths bound read-only where they are (sandbox-paths, the programs)
   * @param proxyDirectory the directory of the proxy's socket, when the agent may use the network
   * @param shell {@code sh}, for the bridge script
   * @param socat {@code socat}, for the bridge
   */
  record Layout(
      Path bwrap,
      Path home,
      List<Path> readOnly,
      Optional<Path> proxyDirectory,
      Path shell,
      Optional<Path> socat) {}

  private Bubblewrap() {}

  /**
   * Why {@code bwrap} cannot make a sandbox on this machine (where user namespaces are not allowed,
   * in a container without the privilege, ...), empty when it can. Tried once per JVM with the
   * options of a real run; a trial that was interrupted or timed out is tried again next time.
   */
  static Optional<String> problem(Path bwrap) {
    Optional<String> known = TRIALS.get(bwrap);
    if (known != null) {
      return known;
    }
    Trial trial = trial(bwrap);
    if (trial.lasting()) {
      TRIALS.put(bwrap, trial.problem());
    }
    return trial.problem();
  }

  private record Trial(Optional<String> problem, boolean lasting) {}

  private static Trial trial(Path bwrap) {
    List<String> command = new ArrayList<>(List.of(bwrap.toString()));
    command.addAll(NAMESPACES);
    command.addAll(system());
    command.addAll(List.of("--", "true"));
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Trial(Optional.of("bwrap did not finish a trial run within 5 s"), false);
      }
      String output;
      try (InputStream stream = process.getInputStream()) {
        output = new String(stream.readNBytes(2_000), StandardCharsets.UTF_8).strip();
      }
      return process.exitValue() == 0
          ? new Trial(Optional.empty(), true)
          : new Trial(Optional.of("bwrap cannot create a sandbox here: " + output), true);
    } catch (IOException e) {
      return new Trial(Optional.of("bwrap cannot be run: " + e.getMessage()), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Trial(Optional.of("interrupted while trying bwrap"), false);
    }
  }

  /** Whether a sandbox sees {@code path} anyway: it lies under /usr, /bin, /sbin or /lib*. */
  static boolean isSystem(Path path) {
    return path.startsWith("/usr") || SYSTEM_LINKS.stream().anyMatch(path::startsWith);
  }

  /** The read-only system, {@code /dev}, {@code /proc} and the private temporary directories. */
  private static List<String> system() {
    List<String> options = new ArrayList<>(List.of("--ro-bind", "/usr", "/usr"));
    for (String name : SYSTEM_LINKS) {
      Path path = Path.of(name);
      if (Files.isSymbolicLink(path)) {
        try {
          options.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), name));
        } catch (IOException e) {
          // Gone meanwhile: the agent does without it.
        }
      } else if (Files.isDirectory(path)) {
        options.addAll(List.of("--ro-bind", name, name));
      }
    }
    for (String name : ETC) {
      options.addAll(List.of("--ro-bind-try", name, name));
    }
    options.addAll(
        List.of("--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp"));
    return options;
  }

  /** {@code bwrap} with its options, then {@code argv} (behind the bridge when networked). */
  static List<String> wrap(Layout layout, AgentProcessSpec spec, List<String> argv) {
    String workspace = spec.workingDirectory().toAbsolutePath().toString();
    List<String> command = new ArrayList<>(List.of(layout.bwrap().toString()));
    command.addAll(NAMESPACES);
    command.addAll(system());
    command.addAll(List.of("--bind", layout.home().toString(), HOME));
    for (Path path : layout.readOnly()) {
      command.addAll(List.of("--ro-bind", path.toString(), path.toString()));
    }
    layout
        .proxyDirectory()
        .ifPresent(
            directory ->
                command.addAll(List.of("--ro-bind", directory.toString(), PROXY_DIRECTORY)));
    // The root itself (a tmpfs holding the mount points) read-only: nothing but the workspace, the
    // home and the temporary directories can be written.
    command.addAll(
        List.of("--bind", workspace, workspace, "--remount-ro", "/", "--chdir", workspace, "--"));
    if (layout.proxyDirectory().isPresent()) {
      command.addAll(List.of(layout.shell().toString(), "-c", BRIDGE, "taskpilot-sandbox"));
    }
    command.addAll(argv);
    return command;
  }

  /**
   * The environment of the sandboxed process: the spec's (the allow-listed variables), with {@code
   * HOME} and {@code TMPDIR} inside the sandbox and, when networked, the proxy variables. It
   * reaches {@code bwrap} as its environment, never as arguments anyone could read in {@code ps}.
   */
  static Map<String, String> environment(Layout layout, AgentProcessSpec spec) {
    Map<String, String> environment = new TreeMap<>(spec.environment());
    environment.put("HOME", HOME);
    environment.put("TMPDIR", "/tmp");
    List.of("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy").forEach(environment::remove);
    if (layout.proxyDirectory().isPresent()) {
      String proxy = "http://" + PROXY_ADDRESS;
      for (String name : List.of("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")) {
        environment.put(name, proxy);
      }
      environment.put("TASKPILOT_SOCAT", layout.socat().orElseThrow().toString());
    }
    return environment;
  }
}
