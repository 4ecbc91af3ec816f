package dev.taskpilot.app.compose;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** A parsed docker-compose.yml, with typed views of the parts the deployment tests inspect. */
record ComposeFile(Map<String, Object> root) {

  /**
   * A published port: {@code published} on the host address {@code hostIp} (null: every interface),
   * {@code target} in the container.
   */
  record PortMapping(String hostIp, String published, String target) {}

  private static final Pattern VOLUME_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  // ${NAME}, ${NAME:-default}, ${NAME-default} (and the other operators), or $$.
  private static final Pattern VARIABLE =
      Pattern.compile("\\$\\$|\\$\\{(\\w+)(?:(:?[-?+])([^}]*))?}|\\$(\\w+)");

  static ComposeFile load(Path path) throws IOException {
    try (Reader reader = Files.newBufferedReader(path)) {
      // Anchors and merge keys (<<) are resolved by SnakeYAML as they are by Compose.
      return new ComposeFile(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader));
    }
  }

  Map<String, Map<String, Object>> services() {
    return mapOf(root.get("services"));
  }

  Map<String, Object> service(String name) {
    return Optional.ofNullable(services().get(name))
        .orElseThrow(() -> new AssertionError("no service named " + name));
  }

  Set<String> declaredVolumes() {
    return mapOf(root.get("volumes")).keySet();
  }

  Optional<String> image(String service) {
    return Optional.ofNullable((String) service(service).get("image"));
  }

  boolean builds(String service) {
    return service(service).containsKey("build");
  }

  boolean hasHealthcheck(String service) {
    Map<String, Object> healthcheck = mapOf(service(service).get("healthcheck"));
    return healthcheck.containsKey("test")
        && !Boolean.TRUE.equals(healthcheck.get("disable"))
        && !List.of("NONE").equals(healthcheck.get("test"));
  }

  /** The services {@code service} depends on, each with its condition. */
  Map<String, String> dependencies(String service) {
    Object dependsOn = service(service).get("depends_on");
    Map<String, String> conditions = new LinkedHashMap<>();
    if (dependsOn instanceof List<?> names) {
      names.forEach(name -> conditions.put((String) name, "service_started"));
    } else {
      Map<String, Map<String, Object>> entries = mapOf(dependsOn);
      entries.forEach(
          (name, entry) ->
              conditions.put(
                  name, (String) mapOf(entry).getOrDefault("condition", "service_started")));
    }
    return conditions;
  }

  /** The environment of {@code service}; a variable listed without a value maps to null. */
  Map<String, String> environment(String service) {
    Object environment = service(service).get("environment");
    Map<String, String> variables = new LinkedHashMap<>();
    if (environment instanceof List<?> entries) {
      for (Object entry : entries) {
        String[] parts = ((String) entry).split("=", 2);
        variables.put(parts[0], parts.length == 2 ? parts[1] : null);
      }
    } else {
      Map<String, Object> entries = mapOf(environment);
      entries.forEach(
          (name, value) -> variables.put(name, value == null ? null : value.toString()));
    }
    return variables;
  }

  /** The ports {@code service} publishes, as Compose reads them when no variable is set. */
  List<PortMapping> ports(String service) {
    return ports(service, Map.of());
  }

  /** The ports {@code service} publishes, as Compose reads them in {@code environment}. */
  List<PortMapping> ports(String service, Map<String, String> environment) {
    List<PortMapping> mappings = new ArrayList<>();
    for (Object port : listOf(service(service).get("ports"))) {
      if (port instanceof Map<?, ?> longSyntax) {
        Object hostIp = longSyntax.get("host_ip");
        mappings.add(
            new PortMapping(
                hostIp == null ? null : interpolate(String.valueOf(hostIp), environment),
                interpolate(String.valueOf(longSyntax.get("published")), environment),
                interpolate(String.valueOf(longSyntax.get("target")), environment)));
      } else {
        // [host-ip:][published:]target[/protocol]
        String[] parts = interpolate(String.valueOf(port), environment).split("/", 2)[0].split(":");
        String published = parts.length >= 2 ? parts[parts.length - 2] : null;
        String hostIp = parts.length >= 3 ? parts[0] : null;
        mappings.add(new PortMapping(hostIp, published, parts[parts.length - 1]));
      }
    }
    return mappings;
  }

  /**
   * A value as Compose interpolates it in {@code environment} (an unset or empty variable takes its
   * {@code :-} default); {@code ?} errors are not modelled.
   */
  static String interpolate(String value, Map<String, String> environment) {
    return VARIABLE
        .matcher(value)
        .replaceAll(
            match -> {
              if (match.group().equals("$$")) {
                return "\\$";
              }
              String name = match.group(1) != null ? match.group(1) : match.group(4);
              String operator = match.group(2) == null ? "" : match.group(2);
              String set = environment.get(name);
              boolean unset = set == null || (operator.startsWith(":") && set.isEmpty());
              String result =
                  switch (operator.replace(":", "")) {
                    case "-" -> unset ? match.group(3) : set;
                    case "+" -> unset ? "" : match.group(3);
                    default -> set == null ? "" : set;
                  };
              return Matcher.quoteReplacement(result);
            });
  }

  /** The named volumes {@code service} mounts (bind mounts and anonymous volumes left out). */
  List<String> namedVolumes(String service) {
    List<String> names = new ArrayList<>();
    for (Object volume : listOf(service(service).get("volumes"))) {
      if (volume instanceof Map<?, ?> longSyntax) {
        if ("volume".equals(longSyntax.get("type")) && longSyntax.get("source") != null) {
          names.add((String) longSyntax.get("source"));
        }
      } else {
        String[] parts = String.valueOf(volume).split(":");
        if (parts.length >= 2 && VOLUME_NAME.matcher(parts[0]).matches()) {
          names.add(parts[0]);
        }
      }
    }
    return names;
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> mapOf(Object value) {
    return value == null ? Map.of() : (Map<String, V>) value;
  }

  private static List<?> listOf(Object value) {
    return value == null ? List.of() : (List<?>) value;
  }
}
