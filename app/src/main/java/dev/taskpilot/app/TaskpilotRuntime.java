package dev.taskpilot.app;

import dev.taskpilot.api.auth.ApiTokens;
import dev.taskpilot.store.SecretReencryption;
import dev.taskpilot.store.embedded.EmbeddedDatabase;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.runtime.EmbeddedApplication;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Taskpilot process of a role: what it embedded, its Micronaut context and, for the API
 * roles, its HTTP server. Closing it stops everything in reverse order.
 */
public final class TaskpilotRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskpilotRuntime.class);
  private static final int OVERRIDE_PRIORITY = 10_000;

  /** The sticky timeout of in-process workers on the embedded engine. */
  static final String DEV_STICKY_TIMEOUT = "5s";

  /** How long in-process workers on the embedded engine let running agents finish on stop. */
  static final String DEV_DRAIN_TIMEOUT = "3s";

  private final ApplicationContext context;
  private final List<AutoCloseable> embedded;
  private final EmbeddedApplication<?> application;

  private TaskpilotRuntime(
      ApplicationContext context, List<AutoCloseable> embedded, EmbeddedApplication<?> app) {
    this.context = context;
    this.embedded = embedded;
    this.application = app;
  }

  /**
   * Starts a role.
   *
   * @param workers the number of in-process workers ({@code dev} only; null for the configured)
   * @param overrides configuration that wins over every file and variable (tests use it)
   */
  public static TaskpilotRuntime start(Role role, Integer workers, Map<String, Object> overrides) {
    Instant begin = Instant.now();
    ApplicationContext context =
        ApplicationContext.builder()
            .mainClass(Taskpilot.class)
            .environments(role.environment())
            .deduceEnvironment(false)
            .properties(overrides)
            .build();
    Environment environment = context.getEnvironment();
    environment.start();
    List<AutoCloseable> embedded = new ArrayList<>();
    try {
      Map<String, Object> computed = new HashMap<>();
      encryptionKey(role, environment, computed);
      if (role == Role.DEV) {
        embedDatabase(environment, computed, embedded);
        embedEngine(environment, computed, embedded);
        if (workers != null) {
          computed.put("taskpilot.worker.count", workers);
          computed.put("taskpilot.worker.enabled", workers > 0);
        }
      } else {
        requireProperty(environment, "datasources.default.url");
        computed.put("taskpilot.worker.enabled", role == Role.WORKER);
      }
      environment.addPropertySource(
          PropertySource.of("taskpilot-" + role.environment(), computed, OVERRIDE_PRIORITY));
      context.start();
      context.getBean(SecretReencryption.class).run();
      if (role == Role.DEV) {
        AdminTokenFile.ensure(
            context.getBean(ApiTokens.class),
            environment.getRequiredProperty("taskpilot.data-dir", Path.class));
        context.getBean(DevRecovery.class).recover();
      } else if (role == Role.API && !context.getBean(ApiTokens.class).anyExists()) {
        log.warn(
            "no API token exists, so every /api/v1 call is refused: make one with"
                + " `taskpilot token create --owner NAME --role admin`");
      }
      EmbeddedApplication<?> app = null;
      if (role != Role.WORKER
          || environment.getProperty(WorkerMetricsOnly.ENABLED, Boolean.class, false)) {
        app = context.getBean(EmbeddedApplication.class);
        app.start();
      }
      TaskpilotRuntime runtime = new TaskpilotRuntime(context, embedded, app);
      log.info(
          "taskpilot {} started in {} ms{}",
          role.environment(),
          Duration.between(begin, Instant.now()).toMillis(),
          app instanceof EmbeddedServer server ? " on " + server.getURL() : "");
      if (role == Role.DEV && app instanceof EmbeddedServer server) {
        DashboardLink.announce(
            server.getURL().toString(),
            environment.getRequiredProperty("taskpilot.data-dir", Path.class));
      }
      return runtime;
    } catch (RuntimeException e) {
      if (context.isRunning()) {
        context.close();
      }
      closeAll(embedded);
      throw e;
    }
  }

  /**
   * The key that encrypts secrets and workflow payloads: configured, or for dev the one in its data
   * directory (made on the first start); api and worker refuse to start without one.
   */
  private static void encryptionKey(
      Role role, Environment environment, Map<String, Object> computed) {
    if (EncryptionKeyFile.configured(environment)) {
      return;
    }
    if (role != Role.DEV) {
      throw new IllegalStateException(
          "taskpilot.encryption.key (TASKPILOT_ENCRYPTION_KEY: 32 bytes in base64, e.g. `head -c"
              + " 32 /dev/urandom | base64`) or taskpilot.encryption.key-file"
              + " (TASKPILOT_ENCRYPTION_KEY_FILE) is not set; the api and worker roles need the"
              + " installation's key, the same in every process (a dev instance's is in"
              + " <data-dir>/"
              + EncryptionKeyFile.NAME
              + ")");
    }
    Path dataDir =
        environment
            .getProperty("taskpilot.data-dir", Path.class)
            .orElseThrow(() -> new IllegalStateException("taskpilot.data-dir is not set"));
    computed.put("taskpilot.encryption.key-file", EncryptionKeyFile.ensure(dataDir).toString());
  }

  private static void embedDatabase(
      Environment environment, Map<String, Object> computed, List<AutoCloseable> embedded) {
    if (environment.containsProperty("datasources.default.url")) {
      log.info("using the configured PostgreSQL");
      return;
    }
    Path dataDir =
        environment
            .getProperty("taskpilot.data-dir", Path.class)
            .orElseThrow(() -> new IllegalStateException("taskpilot.data-dir is not set"));
    Path directory = dataDir.resolve("postgres");
    // Closed last by this runtime, after the workers drained, not by its own shutdown hook.
    EmbeddedDatabase database = EmbeddedDatabase.startStoppedLast(directory, 0);
    embedded.add(database);
    computed.put("datasources.default.url", database.databaseUrl("taskpilot"));
    computed.put("datasources.default.username", database.username());
    computed.put("datasources.default.password", database.password());
    log.info(
        "embedded PostgreSQL on 127.0.0.1:{}, data in {}, user {}, password in {}",
        database.port(),
        directory,
        database.username(),
        EmbeddedDatabase.passwordFile(directory));
  }

  private static void embedEngine(
      Environment environment, Map<String, Object> computed, List<AutoCloseable> embedded) {
    if (environment.containsProperty("temporal.target")) {
      log.info(
          "using the Temporal frontend at {}",
          environment.getProperty("temporal.target", String.class).orElse(""));
      return;
    }
    int port = environment.getProperty("taskpilot.dev.temporal-port", Integer.class).orElse(7233);
    EmbeddedEngine engine = EmbeddedEngine.start(port);
    embedded.add(engine);
    computed.put("temporal.target", engine.target());
    if (!environment.containsProperty("taskpilot.worker.sticky-timeout")) {
      // The in-process workers live and die with the embedded engine, so the engine never waits
      // for a dead one's sticky queue: keep their workflows cached between workflow tasks. Workers
      // of other processes that join it keep stickiness off (the worker role's default).
      computed.put("taskpilot.worker.sticky-timeout", DEV_STICKY_TIMEOUT);
    }
    if (!environment.containsProperty("taskpilot.worker.drain-timeout")) {
      // The embedded engine stops with the process, so no other worker could take a run over:
      // a short drain keeps Ctrl-C quick.
      computed.put("taskpilot.worker.drain-timeout", DEV_DRAIN_TIMEOUT);
    }
    log.warn(
        "embedded Temporal engine on {}: its state is IN MEMORY and is lost when this process"
            + " stops; on restart, every open task goes on from what PostgreSQL recorded",
        engine.target());
  }

  private static void requireProperty(Environment environment, String key) {
    if (!environment.containsProperty(key)) {
      throw new IllegalStateException(
          key
              + " is not set; the api and worker roles need an external PostgreSQL"
              + " (or use 'taskpilot dev')");
    }
  }

  /** The Micronaut context. */
  public ApplicationContext context() {
    return context;
  }

  /** The HTTP port, or -1 for the worker role. */
  public int httpPort() {
    return application instanceof EmbeddedServer server ? server.getPort() : -1;
  }

  @Override
  public void close() {
    if (application != null && application.isRunning()) {
      application.stop();
    }
    if (context.isRunning()) {
      context.close();
    }
    closeAll(embedded);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources.reversed()) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("could not stop {}: {}", resource.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
