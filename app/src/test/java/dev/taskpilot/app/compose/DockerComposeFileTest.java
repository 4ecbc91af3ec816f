package dev.taskpilot.app.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.app.compose.ComposeFile.PortMapping;
import dev.taskpilot.workflows.task.TaskSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The production deployment (docker-compose.yml and the Dockerfile) holds together. */
class DockerComposeFileTest {

  private static final List<String> SERVICES =
      List.of(
          "temporal-postgresql",
          "temporal",
          "temporal-search-attributes",
          "temporal-ui",
          "postgresql",
          "api",
          "worker",
          "prometheus",
          "grafana");

  /** A tag naming a release (16.14, 1.29.7, 25.0.3_9-jre-noble), not a moving major or latest. */
  private static final Pattern EXPLICIT_VERSION = Pattern.compile("v?\\d+\\.\\d+.*");

  private static final Pattern OVERRIDABLE_DEFAULT = Pattern.compile("\\$\\{\\w+:-[^}]+}");
  private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{(\\w+):\\?[^}]+}");
  private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/]+)(:\\d+)?/.+");
  private static final Pattern FROM =
      Pattern.compile("(?i)^FROM\\s+(?:--\\S+\\s+)*(\\S+)(?:\\s+AS\\s+(\\S+))?");

  /** One {@code depends_on} entry. */
  private record Dependency(String service, String dependency, String condition) {}

  @Test
  void shouldDefineEveryDeploymentServiceWhenComposeFileIsRead() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    var services = compose.services().keySet();

    // then
    assertThat(services).containsAll(SERVICES);
    assertThat(compose.root().keySet()).as("top-level keys").doesNotContain("version");
  }

  @Test
  void shouldPinAnExplicitImageVersionWhenServiceIsNotBuiltHere() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    Map<String, String> tags = imageTags(compose, false);

    // then
    assertThat(tags)
        .containsKeys(
            "temporal-postgresql", "temporal", "temporal-ui", "postgresql", "prometheus", "grafana")
        .allSatisfy((service, tag) -> assertThat(tag).as(service).matches(EXPLICIT_VERSION));
  }

  @Test
  void shouldNameAFixedTagWhenServiceIsBuiltHere() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    Map<String, String> tags = imageTags(compose, true);

    // then
    assertThat(tags)
        .containsKeys("api", "worker")
        .allSatisfy((service, tag) -> assertThat(tag).as(service).isNotIn("", "latest"));
  }

  @Test
  void shouldWaitUntilDependencyIsHealthyWhenServiceDependsOnIt() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    List<Dependency> dependencies = dependencies(compose);

    // then
    assertThat(dependencies)
        .isNotEmpty()
        .allSatisfy(edge -> assertThat(compose.services().keySet()).contains(edge.dependency()));
    assertThat(dependencies)
        .filteredOn(edge -> compose.hasHealthcheck(edge.dependency()))
        .allSatisfy(
            edge -> assertThat(edge.condition()).as(edge.toString()).isEqualTo("service_healthy"));
  }

  @Test
  void shouldHaveHealthcheckWhenAnotherServiceDependsOnIt() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    // A one-shot init container is waited for until it has exited, not until it is healthy.
    List<String> dependedOn =
        dependencies(compose).stream()
            .filter(edge -> !"service_completed_successfully".equals(edge.condition()))
            .map(Dependency::dependency)
            .distinct()
            .toList();

    // then
    assertThat(dependedOn)
        .contains("temporal", "postgresql", "temporal-postgresql")
        .allSatisfy(name -> assertThat(compose.hasHealthcheck(name)).as(name).isTrue());
  }

  @Test
  void shouldPublishDocumentedPortsWhenStackStarts() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    List<PortMapping> api = compose.ports("api");
    List<PortMapping> temporal = compose.ports("temporal");
    List<PortMapping> temporalUi = compose.ports("temporal-ui");
    List<PortMapping> prometheus = compose.ports("prometheus");
    List<PortMapping> grafana = compose.ports("grafana");

    // then
    assertThat(api).contains(new PortMapping("127.0.0.1", "8080", "8080"));
    assertThat(temporal).contains(new PortMapping("127.0.0.1", "7233", "7233"));
    assertThat(temporalUi).contains(new PortMapping("127.0.0.1", "8088", "8080"));
    assertThat(prometheus).contains(new PortMapping("127.0.0.1", "9090", "9090"));
    assertThat(grafana).contains(new PortMapping("127.0.0.1", "3000", "3000"));
  }

  @Test
  void shouldPublishEveryPortOnLoopbackOnlyWhenNoVariableIsSet() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    Map<String, PortMapping> published = new LinkedHashMap<>();
    for (String service : compose.services().keySet()) {
      for (PortMapping port : compose.ports(service)) {
        published.put(service + " " + port.published() + ":" + port.target(), port);
      }
    }

    // then
    assertThat(published)
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy((name, port) -> assertThat(port.hostIp()).as(name).isEqualTo("127.0.0.1"));
  }

  @Test
  void shouldPublishEveryPortOnTheChosenAddressWhenTaskpilotBindIsSet() throws IOException {
    // given
    ComposeFile compose = loadCompose();
    Map<String, String> environment = Map.of("TASKPILOT_BIND", "0.0.0.0");

    // when
    List<PortMapping> published =
        compose.services().keySet().stream()
            .flatMap(service -> compose.ports(service, environment).stream())
            .toList();

    // then
    assertThat(published)
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(port -> assertThat(port.hostIp()).as(port.toString()).isEqualTo("0.0.0.0"));
  }

  @Test
  void shouldListenOnEveryInterfaceOfTheContainerWhenTheApiRuns() throws IOException {
    // given
    ComposeFile compose = loadCompose();
    List<String> dockerfile = Files.readAllLines(repositoryFile("Dockerfile"));

    // when
    String composeHost = compose.environment("api").get("MICRONAUT_SERVER_HOST");
    boolean imageHost =
        dockerfile.stream()
            .anyMatch(line -> line.strip().startsWith("MICRONAUT_SERVER_HOST=0.0.0.0"));

    // then: outside a container the default is 127.0.0.1, useless behind a published port
    assertThat(composeHost).isEqualTo("0.0.0.0");
    assertThat(imageHost).as("the Dockerfile sets MICRONAUT_SERVER_HOST=0.0.0.0").isTrue();
  }

  @Test
  void shouldInterpolateAsComposeDoesWhenAValueHasVariables() {
    assertThat(ComposeFile.interpolate("${TASKPILOT_BIND:-127.0.0.1}:8080:8080", Map.of()))
        .isEqualTo("127.0.0.1:8080:8080");
    assertThat(ComposeFile.interpolate("${A-x}/${B:+y}/${C}/$D/$$E", Map.of()))
        .isEqualTo("x////$E");
    assertThat(
            ComposeFile.interpolate(
                "${A-x}/${B:-y}/${C:+z}/$D", Map.of("A", "a", "B", "", "C", "c", "D", "d")))
        .isEqualTo("a/y/z/d");
  }

  @Test
  void shouldGiveEveryRoleTheSameEncryptionKeyWithoutADefaultWhenStackStarts() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    String api = compose.environment("api").get("TASKPILOT_ENCRYPTION_KEY");
    String worker = compose.environment("worker").get("TASKPILOT_ENCRYPTION_KEY");

    // then: Compose refuses to start without it, rather than encrypting with a published key
    assertThat(api).isEqualTo(worker).matches(REQUIRED_VARIABLE);
    assertThat(REQUIRED_VARIABLE.matcher(api).replaceAll("$1"))
        .isEqualTo("TASKPILOT_ENCRYPTION_KEY");
  }

  @Test
  void shouldWriteJsonLogsByDefaultWhenRolesRunInCompose() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when: the format each role gets with nothing set in the shell or .env
    Map<String, String> formats = new LinkedHashMap<>();
    for (String role : List.of("api", "worker")) {
      formats.put(
          role,
          ComposeFile.interpolate(compose.environment(role).get("TASKPILOT_LOG_FORMAT"), Map.of()));
    }

    // then
    assertThat(formats).containsEntry("api", "json").containsEntry("worker", "json");
  }

  @Test
  void shouldPointTheWebUiAtTheApiCodecEndpointWhenPayloadsAreEncrypted() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    Map<String, String> ui = compose.environment("temporal-ui");
    Map<String, String> api = compose.environment("api");
    String uiPort = compose.ports("temporal-ui").getFirst().published();

    // then: the browser reaches the api where links point (its public URL), from the UI's origin
    assertThat(ui.get("TEMPORAL_CODEC_ENDPOINT"))
        .isEqualTo(api.get("TASKPILOT_PUBLIC_URL") + "/codec");
    assertThat(api.get("TASKPILOT_CODEC_ENABLED")).isEqualTo("true");
    assertThat(api.get("TASKPILOT_CODEC_CORS_ORIGIN"))
        .matches(OVERRIDABLE_DEFAULT)
        .endsWith(":-http://localhost:" + uiPort + "}");
    assertThat(compose.environment("worker")).doesNotContainKey("TASKPILOT_CODEC_ENABLED");
  }

  @Test
  void shouldLinkTheDashboardsTasksToTheWebUiItPublishes() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    Map<String, String> api = compose.environment("api");
    String uiPort = compose.ports("temporal-ui").getFirst().published();

    // then
    assertThat(api.get("TASKPILOT_DASHBOARD_TEMPORAL_UI_URL"))
        .matches(OVERRIDABLE_DEFAULT)
        .endsWith(":-http://localhost:" + uiPort + "}");
  }

  @Test
  void shouldRegisterEverySearchAttributeBeforeTheRolesStartWhenStackStarts() throws IOException {
    // given
    ComposeFile compose = loadCompose();
    Map<String, IndexedValueType> cliTypes =
        Map.of(
            "Keyword", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "Int", IndexedValueType.INDEXED_VALUE_TYPE_INT,
            "KeywordList", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);

    // when
    String init = "temporal-search-attributes";
    Map<String, IndexedValueType> registered = new LinkedHashMap<>();
    for (String spec :
        compose.environment(init).get("TASKPILOT_SEARCH_ATTRIBUTES").strip().split("\\s+")) {
      String[] parts = spec.split("=", 2);
      registered.put(parts[0], cliTypes.get(parts[1]));
    }

    // then
    assertThat(registered).isEqualTo(TaskSearchAttributes.REGISTERED);
    assertThat(compose.image(init)).isEqualTo(compose.image("temporal"));
    assertThat(compose.service(init).get("restart")).isEqualTo("no");
    assertThat(compose.dependencies(init)).containsEntry("temporal", "service_healthy");
    assertThat(String.valueOf(compose.service(init).get("command")))
        .contains("temporal operator search-attribute create", "$$TASKPILOT_SEARCH_ATTRIBUTES");
    for (String role : List.of("api", "worker")) {
      assertThat(compose.dependencies(role))
          .as(role)
          .containsEntry(init, "service_completed_successfully");
    }
  }

  @Test
  void shouldLeaveWorkerScalableWhenReplicasAreAdded() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    var workerKeys = compose.service("worker").keySet();

    // then
    assertThat(workerKeys)
        .as("a fixed host port or container name allows one replica only")
        .doesNotContain("ports", "container_name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "worker"})
  void shouldReachTemporalAndPostgresqlInComposeWhenRoleStarts(String role) throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    Map<String, String> environment = compose.environment(role);

    // then
    assertThat(environment).containsKeys("TEMPORAL_TARGET", "DATASOURCES_DEFAULT_URL");
    String temporalHost = environment.get("TEMPORAL_TARGET").split(":")[0];
    Matcher jdbcUrl = JDBC_URL.matcher(environment.get("DATASOURCES_DEFAULT_URL"));
    assertThat(jdbcUrl.matches()).as(environment.get("DATASOURCES_DEFAULT_URL")).isTrue();
    assertThat(compose.services().keySet()).contains(temporalHost, jdbcUrl.group(1));
  }

  @Test
  void shouldDefaultOverridablyWhenVariableHoldsAPassword() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    Map<String, String> passwords = passwordVariables(compose);

    // then
    assertThat(passwords)
        .hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(
            (variable, value) -> assertThat(value).as(variable).matches(OVERRIDABLE_DEFAULT));
  }

  @Test
  void shouldDeclareEveryNamedVolumeWhenServiceMountsOne() throws IOException {
    // given
    ComposeFile compose = loadCompose();

    // when
    List<String> mounted =
        compose.services().keySet().stream()
            .flatMap(service -> compose.namedVolumes(service).stream())
            .toList();

    // then
    assertThat(mounted).contains("postgresql-data", "temporal-postgresql-data");
    assertThat(compose.declaredVolumes()).containsAll(mounted);
  }

  @Test
  void shouldPinTheBaseImageWhenDockerfileIsBuilt() throws IOException {
    // given
    List<String> dockerfile = Files.readAllLines(repositoryFile("Dockerfile"));

    // when
    List<String> baseImages = baseImages(dockerfile);

    // then
    assertThat(baseImages)
        .isNotEmpty()
        .allSatisfy(image -> assertThat(tag(image)).as(image).matches(EXPLICIT_VERSION));
  }

  @Test
  void shouldRunAsUnprivilegedUserWhenContainerStarts() throws IOException {
    // given
    List<String> dockerfile = Files.readAllLines(repositoryFile("Dockerfile"));

    // when
    List<String> users =
        dockerfile.stream()
            .map(String::strip)
            .filter(line -> line.toUpperCase(Locale.ROOT).startsWith("USER "))
            .map(line -> line.substring("USER ".length()).strip().split(":")[0])
            .toList();

    // then
    assertThat(users).isNotEmpty();
    assertThat(users.getLast()).as("the user the container runs as").isNotIn("root", "0");
  }

  /** The image tag of every service that is (or is not) built from this repository. */
  private static Map<String, String> imageTags(ComposeFile compose, boolean built) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String service : compose.services().keySet()) {
      if (compose.builds(service) == built) {
        tags.put(service, compose.image(service).map(DockerComposeFileTest::tag).orElse(""));
      }
    }
    return tags;
  }

  private static List<Dependency> dependencies(ComposeFile compose) {
    List<Dependency> dependencies = new ArrayList<>();
    for (String service : compose.services().keySet()) {
      compose
          .dependencies(service)
          .forEach((name, condition) -> dependencies.add(new Dependency(service, name, condition)));
    }
    return dependencies;
  }

  /** Every environment variable holding a password, keyed "service NAME". */
  private static Map<String, String> passwordVariables(ComposeFile compose) {
    Map<String, String> passwords = new LinkedHashMap<>();
    for (String service : compose.services().keySet()) {
      compose
          .environment(service)
          .forEach(
              (name, value) -> {
                if (name.contains("PASSWORD") || name.endsWith("_PWD")) {
                  passwords.put(service + " " + name, value);
                }
              });
    }
    return passwords;
  }

  /** The images the Dockerfile's FROM lines pull; a FROM naming an earlier stage pulls nothing. */
  private static List<String> baseImages(List<String> dockerfile) {
    List<String> stages = new ArrayList<>();
    List<String> images = new ArrayList<>();
    for (String line : dockerfile) {
      Matcher from = FROM.matcher(line.strip());
      if (from.find()) {
        if (!stages.contains(from.group(1))) {
          images.add(from.group(1));
        }
        if (from.group(2) != null) {
          stages.add(from.group(2));
        }
      }
    }
    return images;
  }

  /** The tag of an image reference, digest left out; empty when there is none. */
  private static String tag(String image) {
    String reference = image.split("@", 2)[0];
    int colon = reference.lastIndexOf(':');
    return colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : "";
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldScrapeTheApiWithTheSecretTokenWhenMetricsProfileRuns() throws IOException {
    // given
    ComposeFile compose = loadCompose();
    Map<String, Object> prometheus =
        ComposeFile.load(repositoryFile("deploy/prometheus/prometheus.yml")).root();

    // when
    Map<String, Object> scrape =
        ((List<Map<String, Object>>) prometheus.get("scrape_configs")).getFirst();
    Map<String, Object> authorization = (Map<String, Object>) scrape.get("authorization");
    List<Map<String, Object>> targets = (List<Map<String, Object>>) scrape.get("static_configs");
    Map<String, Object> secrets = (Map<String, Object>) compose.root().get("secrets");

    // then: the api's metrics path, with the token compose mounts as a secret
    assertThat(scrape.get("metrics_path")).isEqualTo("/prometheus");
    assertThat((List<String>) targets.getFirst().get("targets")).containsExactly("api:8080");
    assertThat(authorization.get("credentials_file")).isEqualTo("/run/secrets/taskpilot_api_token");
    assertThat((List<String>) compose.service("prometheus").get("secrets"))
        .containsExactly("taskpilot_api_token");
    assertThat(
            String.valueOf(((Map<String, Object>) secrets.get("taskpilot_api_token")).get("file")))
        .endsWith("./deploy/prometheus/api-token}");
    assertThat(Files.readAllLines(repositoryFile("deploy/prometheus/.gitignore")))
        .contains("api-token");
    assertThat(compose.service("prometheus").get("profiles")).isEqualTo(List.of("metrics"));
    assertThat(compose.service("grafana").get("profiles")).isEqualTo(List.of("metrics"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void shouldScrapeEveryWorkerReplicaOnTheComposeNetworkOnlyWhenMetricsProfileRuns()
      throws IOException {
    // given
    ComposeFile compose = loadCompose();
    Map<String, Object> prometheus =
        ComposeFile.load(repositoryFile("deploy/prometheus/prometheus.yml")).root();

    // when
    Map<String, Object> scrape =
        ((List<Map<String, Object>>) prometheus.get("scrape_configs"))
            .stream()
                .filter(job -> "taskpilot-worker".equals(job.get("job_name")))
                .findFirst()
                .orElseThrow();
    Map<String, Object> discovery =
        ((List<Map<String, Object>>) scrape.get("dns_sd_configs")).getFirst();
    Map<String, String> worker = compose.environment("worker");

    // then: every replica by the service's DNS name, on the port the worker listens on, with the
    // token; and the worker publishes no port on the host
    assertThat((List<String>) discovery.get("names")).containsExactly("worker");
    assertThat(discovery.get("type")).isEqualTo("A");
    assertThat(discovery.get("port")).isEqualTo(8080);
    assertThat(scrape.get("metrics_path")).isEqualTo("/prometheus");
    assertThat(((Map<String, Object>) scrape.get("authorization")).get("credentials_file"))
        .isEqualTo("/run/secrets/taskpilot_api_token");
    assertThat(worker)
        .containsEntry("TASKPILOT_WORKER_METRICS_HTTP_ENABLED", "true")
        .containsEntry("MICRONAUT_SERVER_HOST", "0.0.0.0");
    assertThat(compose.ports("worker")).isEmpty();
  }

  private static ComposeFile loadCompose() throws IOException {
    return ComposeFile.load(repositoryFile("docker-compose.yml"));
  }

  private static Path repositoryFile(String name) {
    String home = System.getProperty("taskpilot.home");
    assertThat(home).as("system property taskpilot.home (set by surefire)").isNotBlank();
    return Path.of(home).resolve(name);
  }
}
