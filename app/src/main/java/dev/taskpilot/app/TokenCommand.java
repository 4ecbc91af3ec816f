package dev.taskpilot.app;

import dev.taskpilot.api.auth.ApiTokens;
import dev.taskpilot.api.auth.Role;
import dev.taskpilot.store.ApiTokenRecord;
import dev.taskpilot.store.embedded.EmbeddedDatabase;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code taskpilot token create|list|revoke}: API tokens, with the same configuration as the other
 * roles. With {@code datasources.default.url} set it uses that PostgreSQL; without, dev's embedded
 * one in {@code <data-dir>/postgres}: the running dev's server when dev runs (its port is in the
 * server's {@code postmaster.pid}), otherwise the command starts that server for itself and stops
 * it again.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "API tokens: create (prints the token once), list, revoke.",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
final class TokenCommand implements Runnable {
  @ParentCommand Taskpilot root;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Makes a token and prints it on the last line; it is never shown again.")
  static final class Create implements Callable<Integer> {
    @ParentCommand TokenCommand parent;
    @Spec CommandSpec spec;

    @Option(names = "--owner", required = true, description = "Whose tasks the token sees.")
    String owner;

    @Option(
        names = "--role",
        required = true,
        description = "admin (everything, every owner), operator (create, command), viewer (read).")
    String role;

    @Option(
        names = "--expires",
        description = "How long the token works, ISO-8601 (P30D, PT12H); default: no expiry.")
    Duration expires;

    @Override
    public Integer call() {
      Role parsed;
      try {
        parsed = Role.parse(role);
        ApiTokens.checkOwner(owner);
        if (expires != null && (expires.isNegative() || expires.isZero())) {
          throw new IllegalArgumentException("--expires must be positive: " + expires);
        }
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      return parent.withTokens(
          tokens -> {
            ApiTokens.Issued issued = tokens.create(owner, parsed, expires);
            PrintWriter out = spec.commandLine().getOut();
            ApiTokenRecord row = issued.token();
            out.println(
                "created "
                    + row.id()
                    + " for owner "
                    + row.owner()
                    + ", role "
                    + row.role()
                    + (row.expiresAt() == null ? ", no expiry" : ", expires " + row.expiresAt())
                    + "; the token (shown only now):");
            out.println(issued.secret());
            out.flush();
            return 0;
          });
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists every token (never the tokens themselves).")
  static final class ListTokens implements Callable<Integer> {
    @ParentCommand TokenCommand parent;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return parent.withTokens(
          tokens -> {
            PrintWriter out = spec.commandLine().getOut();
            String format = "%-16s %-20s %-8s %-8s %-27s %-27s %s%n";
            out.printf(format, "ID", "OWNER", "ROLE", "STATE", "CREATED", "LAST USED", "EXPIRES");
            Instant now = Instant.now();
            for (ApiTokenRecord row : tokens.list()) {
              String state =
                  row.revokedAt() != null ? "revoked" : row.isActive(now) ? "active" : "expired";
              out.printf(
                  format,
                  row.id(),
                  row.owner(),
                  row.role(),
                  state,
                  row.createdAt(),
                  row.lastUsedAt() == null ? "-" : row.lastUsedAt(),
                  row.expiresAt() == null ? "-" : row.expiresAt());
            }
            out.flush();
            return 0;
          });
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a token.")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand TokenCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The token's id, as token list shows it.")
    String id;

    @Override
    public Integer call() {
      return parent.withTokens(
          tokens -> {
            if (tokens.revoke(id)) {
              spec.commandLine().getOut().println("revoked " + id);
              spec.commandLine().getOut().flush();
              return 0;
            }
            spec.commandLine().getErr().println("no active token " + id);
            spec.commandLine().getErr().flush();
            return 1;
          });
    }
  }

  /** Runs {@code work} with the token service of a context on the configured database. */
  int withTokens(Function<ApiTokens, Integer> work) {
    ApplicationContext context =
        ApplicationContext.builder()
            .mainClass(Taskpilot.class)
            .environments("cli")
            .deduceEnvironment(false)
            .properties(root.overrides())
            .build();
    Environment environment = context.getEnvironment();
    environment.start();
    EmbeddedDatabase started = null;
    try {
      Map<String, Object> computed = new HashMap<>();
      computed.put("taskpilot.worker.enabled", false);
      if (!environment.containsProperty("datasources.default.url")) {
        Path directory =
            environment.getRequiredProperty("taskpilot.data-dir", Path.class).resolve("postgres");
        Integer running = runningPort(directory);
        Path passwordFile = EmbeddedDatabase.passwordFile(directory);
        if (running != null) {
          computed.put(
              "datasources.default.url", "jdbc:postgresql://127.0.0.1:" + running + "/taskpilot");
          computed.put("datasources.default.password", readPassword(passwordFile));
        } else if (Files.isRegularFile(directory.resolve("PG_VERSION"))) {
          started = EmbeddedDatabase.start(directory, 0);
          computed.put("datasources.default.url", started.databaseUrl("taskpilot"));
          computed.put("datasources.default.password", started.password());
        } else {
          spec.commandLine()
              .getErr()
              .println(
                  "no database: set datasources.default.url (DATASOURCES_DEFAULT_URL), or run"
                      + " `taskpilot dev` once to make its embedded one in "
                      + directory);
          spec.commandLine().getErr().flush();
          context.close();
          return 1;
        }
        computed.put("datasources.default.username", "postgres");
      }
      environment.addPropertySource(PropertySource.of("taskpilot-cli", computed, 10_000));
      context.start();
      return work.apply(context.getBean(ApiTokens.class));
    } finally {
      if (context.isRunning()) {
        context.close();
      }
      if (started != null) {
        started.close();
      }
    }
  }

  /** The embedded cluster's password from its file (empty for a cluster of older versions). */
  private static String readPassword(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.readString(file).strip() : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * The port of the PostgreSQL server running on {@code directory} (dev's embedded one), from the
   * first and fourth lines of its {@code postmaster.pid}; null when no live server holds it.
   */
  static Integer runningPort(Path directory) {
    Path pidFile = directory.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return null;
    }
    try {
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.size() < 4) {
        return null;
      }
      long pid = Long.parseLong(lines.get(0).strip());
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive ? Integer.valueOf(lines.get(3).strip()) : null;
    } catch (NumberFormatException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + pidFile, e);
    }
  }
}
