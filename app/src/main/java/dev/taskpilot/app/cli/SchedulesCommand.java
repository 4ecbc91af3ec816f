package dev.taskpilot.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code taskpilot schedules ...}: recurring tasks on a running server, over its HTTP API. */
@Command(
    name = "schedules",
    mixinStandardHelpOptions = true,
    description = "Recurring tasks on a Taskpilot server: list, create, pause, resume, trigger.",
    subcommands = {
      SchedulesCommand.ListSchedules.class,
      SchedulesCommand.Create.class,
      SchedulesCommand.Pause.class,
      SchedulesCommand.Resume.class,
      SchedulesCommand.Trigger.class
    })
public final class SchedulesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static String path(String id) {
    return "api/v1/schedules/" + RemoteCall.encode(id);
  }

  static String row(JsonNode schedule) {
    return String.format(
        "%-38s %-24s %-16s %-16s %-7s %s",
        RemoteCall.text(schedule, "id"),
        RemoteCall.text(schedule, "name"),
        RemoteCall.text(schedule, "cron"),
        RemoteCall.text(schedule, "timeZone"),
        schedule.path("paused").asBoolean() ? "paused" : "active",
        RemoteCall.text(schedule, "nextFireTime"));
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists schedules.")
  static final class ListSchedules extends RemoteCall {
    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    int call(ApiClient api) {
      JsonNode page = api.get("api/v1/schedules");
      if (json) {
        printJson(page);
        return 0;
      }
      out()
          .println(
              String.format(
                  "%-38s %-24s %-16s %-16s %-7s %s",
                  "ID", "NAME", "CRON", "TIME ZONE", "STATE", "NEXT FIRE"));
      page.path("items").forEach(schedule -> out().println(row(schedule)));
      out().flush();
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a schedule.")
  static final class Create extends RemoteCall {
    @Option(names = "--name", required = true)
    String name;

    @Option(names = "--cron", required = true, description = "5 UNIX fields or @daily etc.")
    String cron;

    @Option(names = "--time-zone", defaultValue = "UTC", description = "Default ${DEFAULT-VALUE}.")
    String timeZone;

    @Option(names = "--prompt", required = true, description = "The prompt of each task.")
    String prompt;

    @Option(names = "--agent", description = "The agent profile of each task.")
    String agent;

    @Option(names = "--workspace", description = "The workspace of each task.")
    String workspace;

    @Option(names = "--overlap", description = "SKIP, BUFFER_ONE, ALLOW_ALL or CANCEL_OTHER.")
    String overlap;

    @Option(names = "--paused", description = "Create it paused.")
    boolean paused;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    int call(ApiClient api) {
      ObjectNode body =
          ApiClient.object().put("name", name).put("cron", cron).put("timeZone", timeZone);
      ObjectNode task = body.putObject("task").put("prompt", prompt);
      if (agent != null) {
        task.put("agent", agent);
      }
      if (workspace != null) {
        task.put("workspace", workspace);
      }
      if (overlap != null) {
        body.put("overlap", overlap);
      }
      if (paused) {
        body.put("paused", true);
      }
      JsonNode schedule = api.post("api/v1/schedules", body);
      if (json) {
        printJson(schedule);
      } else {
        out()
            .println(
                "created schedule "
                    + text(schedule, "id")
                    + ", next fire "
                    + text(schedule, "nextFireTime"));
        out().flush();
      }
      return 0;
    }
  }

  /** pause, resume: the schedule after the command. */
  abstract static class ScheduleCommand extends RemoteCall {
    @Parameters(paramLabel = "ID")
    String id;

    abstract String action();

    @Override
    int call(ApiClient api) {
      JsonNode schedule = api.post(path(id) + "/" + action(), ApiClient.object());
      out().println(row(schedule));
      out().flush();
      return 0;
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stops firing.")
  static final class Pause extends ScheduleCommand {
    String action() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Goes on firing.")
  static final class Resume extends ScheduleCommand {
    String action() {
      return "resume";
    }
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = "Starts a run now; prints the task.")
  static final class Trigger extends RemoteCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    int call(ApiClient api) {
      JsonNode task = api.post(path(id) + "/trigger", ApiClient.object());
      if (json) {
        printJson(task);
      } else {
        out().println("started " + text(task, "id") + " (" + text(task, "status") + ")");
        out().flush();
      }
      return 0;
    }
  }
}
