package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpilot.store.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Publish targets and notify channels a task may not name: each answers a 4xx problem with a stable
 * code and creates nothing. The SSRF corpus runs against creation here; no allow-list is
 * configured, and {@code *.rebind.test} names resolve to 127.0.0.1 through {@link FakeDns}.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PublishNotifyBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = Files.createTempDirectory("taskpilot-test-");
    Files.createDirectories(dataDir.resolve("workspaces/plain"));
    taskpilot =
        RunningTaskpilot.dev(
            0,
            dataDir,
            TestDatabase.freshDatasourceProperties(),
            Map.of(
                FakeDns.ENABLED,
                true,
                "taskpilot.publish.git.local-remote-roots",
                List.of(dataDir.resolve("remotes").toString())));
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  @AfterEach
  void nothingWasCreated() throws Exception {
    JsonNode all = JSON.readTree(taskpilot.get("/api/v1/tasks").body());
    assertThat(all.path("items")).isEmpty();
  }

  private static JsonNode createWith(String field, String item, int status, String code)
      throws Exception {
    ObjectNode body = JSON.createObjectNode().put("prompt", "x");
    body.set(field, JSON.createArrayNode().add(JSON.readTree(item)));
    HttpResponse<String> response = taskpilot.post("/api/v1/tasks", body.toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    JsonNode problem = JSON.readTree(response.body());
    assertThat(problem.path("code").asText()).as(response.body()).isEqualTo(code);
    assertThat(problem.path("detail").asText()).isNotBlank();
    return problem;
  }

  private static String webhook(String url) {
    return JSON.createObjectNode().put("type", "webhook").put("url", url).toString();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/hook",
        "http://127.1/hook",
        "http://2130706433/hook",
        "http://0x7f000001/hook",
        "http://0177.0.0.1/hook",
        "http://0x7f.0.0.1/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:7f00:1]/hook",
        "http://0.0.0.0/hook",
        "http://localhost:8080/hook",
        "http://LOCALHOST./hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.1/hook",
        "http://192.168.1.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[fe80::1]/hook",
        "http://100.64.0.1/hook",
        "http://224.0.0.1/hook",
        "http://[fd00:ec2::254]/hook",
        "http://evil.rebind.test/hook"
      })
  void shouldRefuseAWebhookToAnAddressInsideTheNetwork(String url) throws Exception {
    JsonNode problem = createWith("publish", webhook(url), 422, "TARGET_NOT_ALLOWED");
    assertThat(problem.path("detail").asText()).doesNotContain("meta-data");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/hook",
        "http://2130706433/",
        "http://evil.rebind.test/hook",
        "http://[::ffff:10.0.0.1]/"
      })
  void shouldRefuseANotifyWebhookOrNtfyServerInsideTheNetwork(String url) throws Exception {
    createWith("notify", webhook(url), 422, "TARGET_NOT_ALLOWED");
    String ntfy =
        JSON.createObjectNode()
            .put("type", "ntfy")
            .put("topic", "tasks")
            .put("server", url)
            .toString();
    createWith("notify", ntfy, 422, "TARGET_NOT_ALLOWED");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/shop.git",
        "https://evil.rebind.test/shop.git",
        "ssh://git@10.0.0.5/shop.git",
        "git@192.168.0.7:shop.git"
      })
  void shouldRefuseAGitRemoteInsideTheNetwork(String remote) throws Exception {
    String git = JSON.createObjectNode().put("type", "git").put("remote", remote).toString();
    createWith("publish", git, 422, "TARGET_NOT_ALLOWED");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\": \"webhook\", \"url\": \"ftp://hooks.example.org/x\"}",
        "{\"type\": \"webhook\", \"url\": \"javascript:alert(1)\"}",
        "{\"type\": \"webhook\", \"url\": \"/relative/hook\"}",
        "{\"type\": \"webhook\"}",
        "{\"type\": \"webhook\", \"url\": \"https://hooks.example.org/x\", \"secret\": \"short\"}",
        "{\"type\": \"webhook\", \"url\": \"https://hooks.example.org/x\", \"path\": \"a.md\"}",
        "{\"type\": \"git\"}",
        "{\"type\": \"git\", \"remote\": \"git://git.example.org/shop.git\"}",
        "{\"type\": \"git\", \"remote\": \"ext::sh -c touch% /tmp/pwned\"}",
        "{\"type\": \"git\", \"remote\": \"--upload-pack=touch /tmp/pwned\"}",
        "{\"type\": \"git\", \"remote\": \"https://git.example.org/shop.git\", \"branch\": \"../x\"}",
        "{\"type\": \"git\", \"remote\": \"https://git.example.org/shop.git\", \"branch\": \"-f\"}",
        "{\"type\": \"file\", \"path\": \"a.md\", \"url\": \"https://hooks.example.org/x\"}"
      })
  void shouldAnswerValidationFailedForAMalformedTarget(String target) throws Exception {
    createWith("publish", target, 400, "VALIDATION_FAILED");
  }

  @Test
  void shouldRefuseAWebhookUrlOverTwoThousandCharacters() throws Exception {
    String url = "https://hooks.example.org/" + "a".repeat(2_000);
    createWith("publish", webhook(url), 400, "VALIDATION_FAILED");
    createWith("notify", webhook(url), 400, "VALIDATION_FAILED");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\": \"ntfy\", \"topic\": \"bad topic!\"}",
        "{\"type\": \"ntfy\", \"topic\": \"a/b\"}",
        "{\"type\": \"ntfy\", \"topic\": \"\"}",
        "{\"type\": \"ntfy\"}",
        "{\"type\": \"ntfy\", \"topic\": \"tasks\", \"events\": [\"SOMETIMES\"]}",
        "{\"type\": \"ntfy\", \"topic\": \"tasks\", \"events\": []}",
        "{\"type\": \"ntfy\", \"topic\": \"tasks\", \"server\": \"ftp://ntfy.example.org\"}",
        "{\"type\": \"ntfy\", \"topic\": \"tasks\", \"url\": \"https://ntfy.example.org\"}",
        "{\"type\": \"webhook\", \"url\": \"https://chat.example.org/x\", \"events\": [\"x\"]}",
        "{\"type\": \"pager\", \"url\": \"https://pager.example.org\"}"
      })
  void shouldAnswerValidationFailedForAMalformedChannel(String channel) throws Exception {
    createWith("notify", channel, 400, "VALIDATION_FAILED");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://user:secret@hooks.example.org/x",
        "https://token@hooks.example.org/x",
        "http://user:pass@127.0.0.1/x"
      })
  void shouldRefuseCredentialsInAWebhookUrl(String url) throws Exception {
    createWith("publish", webhook(url), 422, "CREDENTIALS_IN_URL");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://user:token@git.example.org/shop.git",
        "https://ghp_token@git.example.org/shop.git",
        "ssh://git:password@git.example.org/shop.git"
      })
  void shouldRefuseCredentialsInAGitRemote(String remote) throws Exception {
    String git = JSON.createObjectNode().put("type", "git").put("remote", remote).toString();
    createWith("publish", git, 422, "CREDENTIALS_IN_URL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/etc/shop.git", "file:///tmp/shop.git"})
  void shouldRefuseALocalGitRemoteOutsideTheConfiguredRoots(String remote) throws Exception {
    String git = JSON.createObjectNode().put("type", "git").put("remote", remote).toString();
    createWith("publish", git, 422, "TARGET_NOT_ALLOWED");
  }

  @Test
  void shouldRefuseAGitTargetOnAWorkspaceThatIsNoRepository() throws Exception {
    ObjectNode body = JSON.createObjectNode().put("prompt", "x").put("workspace", "plain");
    body.set(
        "publish",
        JSON.createArrayNode()
            .add(
                JSON.createObjectNode()
                    .put("type", "git")
                    .put("remote", "https://git.example.org/shop.git")));
    HttpResponse<String> response = taskpilot.post("/api/v1/tasks", body.toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(JSON.readTree(response.body()).path("code").asText())
        .isEqualTo("TARGET_NOT_SUPPORTED");
  }

  @Test
  void shouldRefuseAFileTargetEscapingTheRoot() throws Exception {
    createWith(
        "publish", "{\"type\": \"file\", \"path\": \"../../etc/x\"}", 422, "TARGET_NOT_ALLOWED");
  }
}
