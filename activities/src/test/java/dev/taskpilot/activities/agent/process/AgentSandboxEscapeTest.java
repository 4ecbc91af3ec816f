package dev.taskpilot.activities.agent.process;

import static dev.taskpilot.activities.agent.process.AgentFixtures.FAST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.process.RunOutcome.Exited;
import dev.taskpilot.activities.agent.profile.AgentProfile;
import dev.taskpilot.activities.agent.profile.AgentSandbox;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URISyntaxException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A hostile agent ({@code agents/hostile-agent.sh}) run through the real runner with the default
 * sandbox of a profile ({@code auto}, which is bubblewrap here: the build needs bubblewrap and
 * socat, as {@code .ci/run} installs them) tries every escape it knows; none may succeed, and the
 * one allowed host must still be reachable through the proxy. Laid out like a worker: the workspace
 * is a task directory in the data directory, next to another task's and to the database's files;
 * the worker's home (its {@code HOME}) has a key in {@code .ssh}; a decoy "worker" process holds a
 * secret in its environment; loopback listeners stand for the API and PostgreSQL (TCP and its Unix
 * socket). The allowed host {@code allowed.test} resolves (through the test's resolver) to a public
 * test address, which the test's dialer routes to a loopback server: the proxy's address rules
 * still see a public address, and no test ever reaches outside.
 */
@Timeout(120)
class AgentSandboxEscapeTest {
  private static final String TASK = "hostile-1";
  private static final String SECRET_NAME = "TASKPILOT_DATABASE_PASSWORD";
  private static final String SECRET = "canary-db-password-7f3a9c";
  private static final String SSH_KEY = "canary-ssh-key-41d2e8";
  private static final String DATABASE_FILE = "canary-database-file-c07b11";
  private static final String OTHER_TASK = "canary-other-task-9e5d20";
  private static final InetAddress ALLOWED_ADDRESS = address(203, 0, 113, 7);

  /** Every escape the script tries, in its order: one line each. */
  private static final List<String> ESCAPES =
      List.of(
          "ssh-key-in-worker-home",
          "real-worker-home",
          "ssh-in-agent-home",
          "data-dir-database-file",
          "data-dir-listing",
          "other-task-workspace",
          "shadow-file",
          "worker-environ",
          "decoy-worker-environ",
          "pid1-environ-has-secret",
          "worker-visible-in-proc",
          "signal-worker",
          "capabilities",
          "remount-usr-writable",
          "api-port-direct",
          "database-port-direct",
          "database-unix-socket",
          "api-via-proxy",
          "database-via-proxy-localhost",
          "api-via-allowed-name-resolving-to-loopback",
          "private-address-via-allowed-name",
          "host-not-allowed",
          "allowed-host-other-port",
          "plain-http-via-proxy",
          "write-data-dir",
          "write-other-task-workspace",
          "write-worker-home",
          "write-system");

  /**
   * The worker's files, outside /tmp as a real data directory and home are (the sandbox's /tmp is
   * its own tmpfs, so a path in the worker's /tmp would show a private directory there).
   */
  private Path base;

  private final InMemoryAgentOutputSink sink = new InMemoryAgentOutputSink();
  private final List<String> dialed = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final AtomicInteger serviceConnections = new AtomicInteger();
  private Process decoy;
  private Path dbSocket;
  private Path hostTmpPlant;

  @BeforeEach
  void requireSandbox() throws IOException {
    base = Files.createTempDirectory(outsideTmp(), "sandbox-escape-");
    ChildLauncher launcher = ChildLauncher.detect();
    assertThat(launcher.sandboxProblem(true))
        .as(
            "the agent sandbox needs bubblewrap and socat on the build machine (.ci/run installs"
                + " them: apt-get install bubblewrap socat)")
        .isEmpty();
  }

  /**
   * Where the worker's files go: the build's target directory, unless the checkout itself lies in
   * /tmp or /var/tmp (a clone in /tmp, say), which the sandbox replaces by tmpfs of its own; then
   * /var/lib/taskpilot-tests.
   */
  private static Path outsideTmp() throws IOException {
    Path target = Path.of("target").toAbsolutePath().normalize();
    // Not under the home either: the sandbox would show the mount points leading to the layout.
    Path shared = Path.of("/var/lib/taskpilot-tests");
    for (Path candidate : List.of(target, shared)) {
      if (!candidate.startsWith("/tmp") && !candidate.startsWith("/var/tmp")) {
        try {
          return Files.createDirectories(candidate);
        } catch (IOException e) {
          // Not writable here: the next one.
        }
      }
    }
    throw new IllegalStateException(
        "the sandbox escape test needs a writable directory outside /tmp, /var/tmp and the home: "
            + target
            + " or "
            + shared);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (decoy != null) {
      decoy.destroyForcibly().waitFor();
    }
    for (AutoCloseable closeable : closing) {
      closeable.close();
    }
    if (dbSocket != null) {
      Files.deleteIfExists(dbSocket);
    }
    if (hostTmpPlant != null) {
      Files.deleteIfExists(hostTmpPlant);
    }
    try (Stream<Path> tree = Files.walk(base)) {
      for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Test
  void shouldBlockEveryEscapeAndReachOnlyTheAllowedHostWhenAgentRunsInDefaultSandbox()
      throws Exception {
    // given: a worker's layout with secrets next to the agent's workspace
    Path data = Files.createDirectories(base.resolve("data"));
    Path workspace = Files.createDirectories(data.resolve("workspaces/_tasks/" + TASK));
    Path sibling = data.resolve("workspaces/_tasks/other-task/notes.txt");
    write(sibling, OTHER_TASK);
    write(data.resolve("postgres/PG_CANARY"), DATABASE_FILE);
    Path workerHome = Files.createDirectories(base.resolve("home"));
    write(workerHome.resolve(".ssh/id_ed25519"), SSH_KEY);
    // A stand-in for the worker with a secret in its environment (ours, plus the secret).
    ProcessBuilder decoyBuilder = new ProcessBuilder("sleep", "300");
    decoyBuilder.environment().put(SECRET_NAME, SECRET);
    decoy = decoyBuilder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int api = listen("API");
    int database = listen("PostgreSQL");
    dbSocket = Path.of(System.getProperty("java.io.tmpdir"), ".s.PGSQL." + database);
    ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    unix.bind(UnixDomainSocketAddress.of(dbSocket));
    closing.add(unix);
    int llm = llmServer();
    hostTmpPlant = Path.of("/tmp/taskpilot-hostile-planted");
    Files.deleteIfExists(hostTmpPlant);

    Path script = resource("/agents/hostile-agent.sh");
    List<String> command =
        List.of(
            "bash",
            script.toString(),
            workerHome.toString(),
            System.getProperty("user.home"),
            data.toString(),
            sibling.toString(),
            Long.toString(ProcessHandle.current().pid()),
            Long.toString(decoy.pid()),
            SECRET_NAME,
            Integer.toString(api),
            Integer.toString(database),
            dbSocket.toString());
    AgentProfile profile =
        new AgentProfile("hostile", command, PromptMode.ARGUMENT, "text", List.of(), null)
            .withSandbox(
                null,
                List.of(script.toString()),
                List.of("allowed.test", "loop.test:" + api, "private.test"));
    Map<String, String> server = new HashMap<>(System.getenv());
    server.put("HOME", workerHome.toString());
    server.put(SECRET_NAME, SECRET);
    AgentProcessSpec spec =
        new AgentProcessSpec(
                TASK,
                1,
                command,
                PromptMode.ARGUMENT,
                "escape if you can",
                workspace,
                AgentEnvironment.of(server, profile.env(), TASK, workspace),
                Duration.ofSeconds(60))
            .withProfile(profile);
    SandboxProxy.Network network =
        new SandboxProxy.Network(
            AgentSandboxEscapeTest::resolve,
            (target, timeout) -> {
              dialed.add(target.toString());
              if (!target.getAddress().equals(ALLOWED_ADDRESS) || target.getPort() != 443) {
                throw new IOException("the test dialer reaches only the allowed test server");
              }
              return new Socket(InetAddress.getLoopbackAddress(), llm);
            });
    AgentProcessRunner runner =
        new AgentProcessRunner(
            sink,
            FAST.withRunDirectory(data.resolve("run/agents")),
            ChildLauncher.detect(),
            new AgentDrain(Duration.ZERO),
            network,
            Optional.of(data));

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(profile.sandbox()).isEqualTo(AgentSandbox.AUTO);
    List<String> lines = sink.texts(TASK);
    assertThat(result.outcome()).as(String.join("\n", lines)).isEqualTo(new Exited(0));
    List<String> attempts = lines.stream().filter(line -> line.startsWith("ESCAPE ")).toList();
    List<String> expected = new ArrayList<>();
    ESCAPES.forEach(name -> expected.add("ESCAPE " + name + ": blocked"));
    expected.add("ESCAPE write-worker-tmp: checked by the worker");
    assertThat(attempts).as("every escape attempt, in order").isEqualTo(expected);
    assertThat(lines).contains("ALLOWED allowed.test: ok", "hostile agent done");
    // The worker's side: nothing written outside the workspace, no secret in the output,
    // no connection to the loopback services, and the proxy dialed the allowed host only.
    assertThat(data.resolve("planted")).doesNotExist();
    assertThat(workerHome.resolve("planted")).doesNotExist();
    assertThat(Path.of("/usr/planted")).doesNotExist();
    assertThat(hostTmpPlant).doesNotExist();
    assertThat(sibling).content().isEqualTo(OTHER_TASK);
    assertThat(String.join("\n", lines)).doesNotContain(SECRET, SSH_KEY, DATABASE_FILE, OTHER_TASK);
    assertThat(serviceConnections).hasValue(0);
    assertThat(dialed).containsExactly(new InetSocketAddress(ALLOWED_ADDRESS, 443).toString());
    int attempted = ESCAPES.size() + 1;
    System.out.printf("Sandbox escapes attempted: %d, succeeded: 0%n", attempted);
  }

  /** The test's DNS: a public test address for the allowed host, loopback and private traps. */
  private static List<InetAddress> resolve(String host) throws UnknownHostException {
    return switch (host) {
      case "allowed.test" -> List.of(ALLOWED_ADDRESS);
      case "loop.test" -> List.of(InetAddress.getLoopbackAddress());
      case "private.test" -> List.of(address(10, 0, 0, 5));
      default -> throw new UnknownHostException(host + " (the test resolves only its names)");
    };
  }

  /** A loopback service that counts every connection it accepts. */
  private int listen(String name) throws IOException {
    ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    closing.add(socket);
    Thread.ofVirtual()
        .name("fake-" + name)
        .start(
            () -> {
              while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                  serviceConnections.incrementAndGet();
                  client.getOutputStream().write((name + " here\n").getBytes());
                } catch (IOException e) {
                  return;
                }
              }
            });
    return socket.getLocalPort();
  }

  /** The allowed "LLM provider": answers one HTTP request with LLM-OK. */
  private int llmServer() throws IOException {
    ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    closing.add(socket);
    Thread.ofVirtual()
        .name("fake-llm")
        .start(
            () -> {
              while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                  BufferedReader reader =
                      new BufferedReader(
                          new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                  String line;
                  while ((line = reader.readLine()) != null && !line.isEmpty()) {
                    // The request head.
                  }
                  OutputStream out = client.getOutputStream();
                  out.write(
                      "HTTP/1.1 200 OK\r\nContent-Length: 7\r\nConnection: close\r\n\r\nLLM-OK\n"
                          .getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException e) {
                  return;
                }
              }
            });
    return socket.getLocalPort();
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(AgentSandboxEscapeTest.class.getResource(name).toURI());
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
