package dev.taskpilot.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the server: a failure (a problem, an unreachable server) is printed on
 * stderr and the command exits 1.
 */
abstract class RemoteCall implements Callable<Integer> {
  @Mixin Remote remote;
  @Spec CommandSpec spec;

  abstract int call(ApiClient api);

  @Override
  public final Integer call() {
    try {
      return call(remote.client());
    } catch (ApiClient.Failure e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("taskpilot: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** The API's JSON, pretty, for scripts. */
  void printJson(JsonNode json) {
    try {
      out().println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out().flush();
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isMissingNode() || value.isNull() ? "-" : value.asText();
  }

  static String encode(String segment) {
    return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }
}
