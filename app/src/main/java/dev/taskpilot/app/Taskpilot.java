package dev.taskpilot.app;

import dev.taskpilot.app.cli.SchedulesCommand;
import dev.taskpilot.app.cli.TasksCommand;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code taskpilot} command line: the roles {@code dev}, {@code api} and {@code worker}, and
 * {@code token} for API tokens, and {@code tasks} and {@code schedules}, clients of a running
 * server's HTTP API.
 */
@Command(
    name = "taskpilot",
    mixinStandardHelpOptions = true,
    version = "taskpilot 0.1.0",
    description = "Durable AI-agent tasks on Temporal.",
    subcommands = {
      Taskpilot.Dev.class,
      Taskpilot.Api.class,
      Taskpilot.Worker.class,
      TokenCommand.class,
      TasksCommand.class,
      SchedulesCommand.class
    })
public final class Taskpilot implements Runnable {
  private final Map<String, Object> overrides;

  public Taskpilot() {
    this(Map.of());
  }

  /** A command line whose {@code token} commands get this configuration on top (tests use it). */
  Taskpilot(Map<String, Object> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  Map<String, Object> overrides() {
    return overrides;
  }

  public static void main(String[] args) {
    if (args.length > 0
        && args[0].equals("token")
        && System.getProperty("TASKPILOT_LOG_LEVEL") == null
        && System.getenv("TASKPILOT_LOG_LEVEL") == null) {
      // The token commands print for people and scripts (the token on the last line): the
      // context's start-up lines would be in the way. Set before the first logger exists.
      System.setProperty("TASKPILOT_LOG_LEVEL", "WARN");
    }
    int exit = new CommandLine(new Taskpilot()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Runs a role until the process is told to stop. */
  static int serve(Role role, Integer workers) {
    TaskpilotRuntime runtime;
    try {
      runtime = TaskpilotRuntime.start(role, workers, Map.of());
    } catch (RuntimeException e) {
      System.err.println("taskpilot " + role.environment() + " could not start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  runtime.close();
                  stopped.countDown();
                },
                "taskpilot-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  @Command(
      name = "dev",
      mixinStandardHelpOptions = true,
      description = "Embedded Temporal engine + embedded PostgreSQL + API + worker(s) in one JVM.")
  static final class Dev implements Callable<Integer> {
    @Option(
        names = "--workers",
        description = "In-process workers (default ${DEFAULT-VALUE}); 0 for none.",
        defaultValue = "1")
    int workers;

    @Override
    public Integer call() {
      if (workers < 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--workers must not be negative");
      }
      return serve(Role.DEV, workers);
    }
  }

  @Command(name = "api", mixinStandardHelpOptions = true, description = "The HTTP API only.")
  static final class Api implements Callable<Integer> {
    @Override
    public Integer call() {
      return serve(Role.API, null);
    }
  }

  @Command(name = "worker", mixinStandardHelpOptions = true, description = "A worker process.")
  static final class Worker implements Callable<Integer> {
    @Override
    public Integer call() {
      return serve(Role.WORKER, null);
    }
  }
}
