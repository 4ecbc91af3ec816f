package dev.taskpilot.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code taskpilot tasks ...}: tasks on a running server, over its HTTP API. */
@Command(
    name = "tasks",
    mixinStandardHelpOptions = true,
    description =
        "Tasks on a Taskpilot server: create, list, show, watch, approve, reject, cancel, input.",
    subcommands = {
      TasksCommand.Create.class,
      TasksCommand.ListTasks.class,
      TasksCommand.Show.class,
      TasksCommand.Watch.class,
      TasksCommand.Approve.class,
      TasksCommand.Reject.class,
      TasksCommand.Cancel.class,
      TasksCommand.Input.class
    })
public final class TasksCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static String path(String id) {
    return "api/v1/tasks/" + RemoteCall.encode(id);
  }

  /** One line per task: id, status, agent, title. */
  static void printRow(PrintWriter out, JsonNode task) {
    out.printf(
        "%-38s %-18s %-14s %s%n",
        RemoteCall.text(task, "id"),
        RemoteCall.text(task, "status"),
        RemoteCall.text(task, "agent"),
        RemoteCall.text(task, "title"));
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a task.")
  static final class Create extends RemoteCall {
    @Parameters(paramLabel = "PROMPT", description = "What the agent should do.")
    String prompt;

    @Option(names = "--title", description = "The title (default: from the prompt).")
    String title;

    @Option(names = "--agent", description = "The agent profile.")
    String agent;

    @Option(names = "--workspace", description = "The workspace the agent works in.")
    String workspace;

    @Option(names = "--priority", description = "0 (least urgent) to 10.")
    Integer priority;

    @Option(names = "--label", paramLabel = "LABEL", description = "A label (repeatable).")
    List<String> labels;

    @Option(names = "--not-before", paramLabel = "INSTANT", description = "Start no earlier.")
    String notBefore;

    @Option(names = "--approve-before-run", description = "Wait for an approval before the run.")
    boolean approveBeforeRun;

    @Option(
        names = "--approve-before-publish",
        description = "Wait for an approval before publishing.")
    boolean approveBeforePublish;

    @Option(names = "--budget-usd", paramLabel = "USD", description = "The cost budget.")
    java.math.BigDecimal budgetUsd;

    @Option(names = "--watch", description = "Follow the task; exit 0 only when it SUCCEEDED.")
    boolean watch;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    int call(ApiClient api) {
      ObjectNode body = ApiClient.object().put("prompt", prompt);
      putIfSet(body, "title", title);
      putIfSet(body, "agent", agent);
      putIfSet(body, "workspace", workspace);
      putIfSet(body, "notBefore", notBefore);
      if (priority != null) {
        body.put("priority", priority);
      }
      if (budgetUsd != null) {
        body.put("budgetUsd", budgetUsd);
      }
      if (labels != null) {
        ArrayNode array = body.putArray("labels");
        labels.forEach(array::add);
      }
      if (approveBeforeRun || approveBeforePublish) {
        ObjectNode approval = body.putObject("approval");
        if (approveBeforeRun) {
          approval.put("beforeRun", true);
        }
        if (approveBeforePublish) {
          approval.put("beforePublish", true);
        }
      }
      JsonNode task = api.post("api/v1/tasks", body);
      if (json) {
        printJson(task);
      } else {
        out()
            .println(
                "created " + task.path("id").asText() + " (" + task.path("status").asText() + ")");
        out().flush();
      }
      return watch
          ? new TaskWatch(api, out(), spec.commandLine().getErr(), TaskWatch.colourOnTty())
              .watch(task.path("id").asText())
          : 0;
    }

    private static void putIfSet(ObjectNode body, String field, String value) {
      if (value != null) {
        body.put(field, value);
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists tasks, newest first.")
  static final class ListTasks extends RemoteCall {
    @Option(names = "--status", description = "Only tasks with this status.")
    String status;

    @Option(names = "--label", description = "Only tasks with this label.")
    String label;

    @Option(names = "--agent", description = "Only tasks of this agent profile.")
    String agent;

    @Option(
        names = "--owner",
        description = "Only this owner's tasks (an admin sees every owner's).")
    String owner;

    @Option(names = "--limit", description = "At most this many.")
    Integer limit;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    int call(ApiClient api) {
      StringBuilder query = new StringBuilder();
      if (status != null) {
        query.append("&status=").append(encode(status));
      }
      if (label != null) {
        query.append("&label=").append(encode(label));
      }
      if (agent != null) {
        query.append("&agent=").append(encode(agent));
      }
      if (owner != null) {
        query.append("&owner=").append(encode(owner));
      }
      if (limit != null) {
        query.append("&limit=").append(limit);
      }
      String path = "api/v1/tasks" + (query.isEmpty() ? "" : "?" + query.substring(1));
      JsonNode page = api.get(path);
      if (json) {
        printJson(page);
        return 0;
      }
      out().printf("%-38s %-18s %-14s %s%n", "ID", "STATUS", "AGENT", "TITLE");
      page.path("items").forEach(task -> printRow(out(), task));
      out().flush();
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a task.")
  static final class Show extends RemoteCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    int call(ApiClient api) {
      JsonNode task = api.get(path(id));
      if (json) {
        printJson(task);
        return 0;
      }
      PrintWriter out = out();
      out.println("id:        " + text(task, "id"));
      out.println("title:     " + text(task, "title"));
      out.println(
          "status:    "
              + text(task, "status")
              + (task.path("statusReason").isTextual()
                  ? " (" + text(task, "statusReason") + ")"
                  : ""));
      out.println("agent:     " + text(task, "agent"));
      out.println("workspace: " + text(task, "workspace"));
      out.println("priority:  " + text(task, "priority"));
      out.println("owner:     " + text(task, "owner"));
      out.println("created:   " + text(task, "createdAt"));
      JsonNode run = task.path("run");
      if (run.isObject()) {
        out.println(
            "run:       attempt "
                + text(run, "attempt")
                + ", exit "
                + text(run, "exitCode")
                + ", cost $"
                + text(run, "costUsd")
                + ", "
                + text(run, "outputLines")
                + " output lines");
      }
      if (task.path("result").isObject()) {
        out.println("result:    " + text(task.path("result"), "summary"));
      }
      if (task.path("error").isObject()) {
        out.println(
            "error:     "
                + text(task.path("error"), "code")
                + ": "
                + text(task.path("error"), "message"));
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description = "Follows a task's output and status; exits 0 only when it SUCCEEDED.")
  static final class Watch extends RemoteCall {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    int call(ApiClient api) {
      return new TaskWatch(api, out(), spec.commandLine().getErr(), TaskWatch.colourOnTty())
          .watch(id);
    }
  }

  /** A command on one task with an optional text field in its body. */
  abstract static class TaskCommand extends RemoteCall {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    abstract String action();

    abstract String field();

    abstract String value();

    @Override
    int call(ApiClient api) {
      ObjectNode body = ApiClient.object();
      if (value() != null) {
        body.put(field(), value());
      }
      JsonNode task = api.post(path(id) + "/" + action(), body);
      out().println(text(task, "id") + " " + text(task, "status"));
      out().flush();
      return 0;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approves a task.")
  static final class Approve extends TaskCommand {
    @Option(names = "--comment")
    String comment;

    String action() {
      return "approve";
    }

    String field() {
      return "comment";
    }

    String value() {
      return comment;
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Rejects a task.")
  static final class Reject extends TaskCommand {
    @Option(names = "--comment")
    String comment;

    String action() {
      return "reject";
    }

    String field() {
      return "comment";
    }

    String value() {
      return comment;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a task.")
  static final class Cancel extends TaskCommand {
    @Option(names = "--reason")
    String reason;

    String action() {
      return "cancel";
    }

    String field() {
      return "reason";
    }

    String value() {
      return reason;
    }
  }

  @Command(
      name = "input",
      mixinStandardHelpOptions = true,
      description = "Answers a task that waits for input.")
  static final class Input extends TaskCommand {
    @Parameters(index = "1", paramLabel = "TEXT", description = "The answer.")
    String text;

    String action() {
      return "input";
    }

    String field() {
      return "text";
    }

    String value() {
      return text;
    }
  }
}
