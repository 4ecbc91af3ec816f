package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.embedded.EmbeddedDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code dev} as a user starts it, with its embedded PostgreSQL and engine and nothing configured
 * but ports and the data directory: everything listens on loopback only, the database needs its
 * generated password, and no management endpoint but health and metrics answers.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SafeDefaultsTest {
  private static final HttpClient HTTP = TestHttp.client();
  private static Path dataDir;
  private static TaskpilotRuntime runtime;

  @BeforeAll
  static void start() throws IOException {
    dataDir = Files.createTempDirectory("taskpilot-defaults-");
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("micronaut.server.port", -1);
    overrides.put("taskpilot.dev.temporal-port", 0);
    overrides.put("taskpilot.data-dir", dataDir.toString());
    // An endpoint the operator switched on is still sensitive: no one gets it without security.
    overrides.put("endpoints.info.enabled", true);
    runtime = TaskpilotRuntime.start(Role.DEV, 0, overrides);
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void shouldListenOnLoopbackOnlyWhenDevStartsWithItsDefaults() throws IOException {
    // given
    var environment = runtime.context().getEnvironment();
    int http = runtime.httpPort();
    int temporal =
        Integer.parseInt(
            environment.getRequiredProperty("temporal.target", String.class).split(":")[1]);
    String jdbc = environment.getRequiredProperty("datasources.default.url", String.class);
    int postgres = Integer.parseInt(jdbc.replaceFirst("^jdbc:postgresql://[^:]+:(\\d+)/.*$", "$1"));

    // when
    Map<String, List<InetAddress>> listening = new LinkedHashMap<>();
    for (var port : Map.of("http", http, "temporal", temporal, "postgres", postgres).entrySet()) {
      listening.put(port.getKey() + " " + port.getValue(), listeningAddresses(port.getValue()));
    }

    // then
    assertThat(listening)
        .hasSize(3)
        .allSatisfy(
            (name, addresses) ->
                assertThat(addresses)
                    .as(name)
                    .isNotEmpty()
                    .allSatisfy(address -> assertThat(address.isLoopbackAddress()).isTrue()));
  }

  @Test
  void shouldKeepTheDatabasePasswordInTheDataDirectoryForItsOwnerOnly() throws IOException {
    // given
    Path file = dataDir.resolve("postgres-password");

    // when
    String kept = Files.readString(file).strip();

    // then
    assertThat(EmbeddedDatabase.passwordFile(dataDir.resolve("postgres"))).isEqualTo(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(kept)
        .hasSize(43)
        .isEqualTo(
            runtime
                .context()
                .getEnvironment()
                .getRequiredProperty("datasources.default.password", String.class));
  }

  @ParameterizedTest(name = "{0} {1} answers {2}")
  @CsvSource({
    "GET, /beans, 404",
    "GET, /routes, 404",
    "GET, /threaddump, 404",
    "POST, /refresh, 404",
    "GET, /env, 404",
    "GET, /loggers, 404",
    "POST, /loggers/ROOT, 404",
    "GET, /metrics, 404",
    "GET, /caches, 404",
    "POST, /stop, 404",
    "GET, /info, 401",
    "GET, /health, 200",
    "GET, /health/readiness, 200",
    "GET, /health/liveness, 200",
    // An admin token opens it (AccessMatrixTest); without one it is refused.
    "GET, /prometheus, 401",
  })
  void shouldAnswerOnlyHealthAndMetricsWhenManagementEndpointsAreAsked(
      String method, String path, int status) {
    // given
    HttpRequest request =
        TestHttp.request(URI.create("http://127.0.0.1:" + runtime.httpPort() + path))
            .method(
                method,
                method.equals("GET")
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString("{\"configuredLevel\": \"TRACE\"}"))
            .header("Content-Type", "application/json")
            .build();

    // when
    HttpResponse<String> response =
        TestHttp.send(HTTP, request, HttpResponse.BodyHandlers.ofString());

    // then
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    if (status != 200) {
      assertThat(response.body()).doesNotContain("dev.taskpilot", "datasources", "Thread");
    }
  }

  /** The addresses on which a socket of this machine listens on {@code port}, over IPv4 and 6. */
  private static List<InetAddress> listeningAddresses(int port) throws IOException {
    List<InetAddress> addresses = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
        String[] fields = line.strip().split("\\s+");
        String[] local = fields[1].split(":");
        boolean listens = fields[3].equals("0A");
        if (listens && Integer.parseInt(local[1], 16) == port) {
          addresses.add(address(local[0]));
        }
      }
    }
    return addresses;
  }

  /**
   * An address as /proc/net/tcp{,6} prints it: 32-bit words, each in host (little-endian) order.
   */
  private static InetAddress address(String hex) throws IOException {
    byte[] raw = HexFormat.of().parseHex(hex);
    byte[] address = new byte[raw.length];
    for (int word = 0; word < raw.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        address[word + i] = raw[word + 3 - i];
      }
    }
    return InetAddress.getByAddress(address);
  }
}
