package dev.taskpilot.activities.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.activities.agent.profile.AgentProfile;
import dev.taskpilot.activities.agent.profile.AgentProfiles;
import dev.taskpilot.activities.agent.profile.AgentSandbox;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.activities.agent.workspace.WorkspacesConfig;
import dev.taskpilot.activities.output.AgentOutputSink;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigurationTest {

  @Test
  void shouldBindEveryProfileWithDefaultsWhenConfigured() {
    // given
    Map<String, Object> properties =
        Map.of(
            "taskpilot.agents.example.command", List.of("/opt/agents/example.sh", "--verbose"),
            "taskpilot.agents.example.env", List.of("EXAMPLE_AGENT_DELAY"),
            "taskpilot.agents.claude.command", List.of("claude", "-p"),
            "taskpilot.agents.claude.prompt", "stdin",
            "taskpilot.agents.claude.timeout", "5m",
            "taskpilot.agents.claude.stall-timeout", "90s",
            "taskpilot.agents.claude.sandbox", "bubblewrap");

    // when
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      AgentProfiles profiles = context.getBean(AgentProfiles.class);

      // then
      assertThat(profiles.names()).containsExactly("claude", "example");
      assertThat(profiles.find("example"))
          .contains(
              new AgentProfile(
                  "example",
                  List.of("/opt/agents/example.sh", "--verbose"),
                  PromptMode.ARGUMENT,
                  "text",
                  List.of("EXAMPLE_AGENT_DELAY"),
                  Duration.ofMinutes(30)));
      AgentProfile claude = profiles.find("claude").orElseThrow();
      assertThat(claude.prompt()).isEqualTo(PromptMode.STDIN);
      assertThat(claude.timeout()).isEqualTo(Duration.ofMinutes(5));
      assertThat(claude.env()).isEmpty();
      assertThat(claude.stallTimeout()).isEqualTo(Duration.ofSeconds(90));
      assertThat(claude.sandbox()).isEqualTo(AgentSandbox.BUBBLEWRAP);
      AgentProfile example = profiles.find("example").orElseThrow();
      assertThat(example.stallTimeout()).isEqualTo(Duration.ofMinutes(10));
      assertThat(example.sandbox()).isEqualTo(AgentSandbox.AUTO);
      assertThat(example.sandboxPaths()).isEmpty();
      assertThat(example.hosts().isEmpty()).isTrue();
      assertThat(profiles.find("missing")).isEmpty();
      assertThat(profiles.find(null)).isEmpty();
    }
  }

  @Test
  void shouldRejectProfileWhenFormatIsNotSupported() {
    // given
    Map<String, Object> properties =
        Map.of(
            "taskpilot.agents.claude.command",
            List.of("claude"),
            "taskpilot.agents.claude.format",
            "claude-xml");

    // when / then
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      assertThatThrownBy(() -> context.getBean(AgentProfiles.class))
          .hasStackTraceContaining("taskpilot.agents.claude.format 'claude-xml' is not supported");
    }
  }

  @Test
  void shouldBindSandboxPathsAndAllowedHostsWhenConfigured() {
    // given
    Map<String, Object> properties =
        Map.of(
            "taskpilot.agents.claude.command", List.of("claude", "-p"),
            "taskpilot.agents.claude.sandbox-paths", List.of("/opt/claude", "/usr/local/lib/node"),
            "taskpilot.agents.claude.allowed-hosts", List.of("api.anthropic.com"),
            "taskpilot.agents.open.command", List.of("open-agent"),
            "taskpilot.agents.open.sandbox", "none");

    // when
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      AgentProfiles profiles = context.getBean(AgentProfiles.class);

      // then
      AgentProfile claude = profiles.find("claude").orElseThrow();
      assertThat(claude.sandbox()).isEqualTo(AgentSandbox.AUTO);
      assertThat(claude.sandboxPaths()).containsExactly("/opt/claude", "/usr/local/lib/node");
      assertThat(claude.hosts().find("api.anthropic.com", 443)).isPresent();
      assertThat(profiles.find("open").orElseThrow().sandbox()).isEqualTo(AgentSandbox.NONE);
    }
  }

  @Test
  void shouldRejectProfileWhenSandboxPathIsRelativeOrHostIsAnAddress() {
    // given
    AgentProfile profile = new AgentProfile("boxed", List.of("x"), null, null, null, null);

    // when / then
    assertThatThrownBy(() -> profile.withSandbox(null, List.of("tools"), null))
        .hasMessage(
            "taskpilot.agents.boxed.sandbox-paths lists absolute paths; 'tools' is not one");
    assertThatThrownBy(() -> profile.withSandbox(null, null, List.of("127.0.0.1")))
        .hasMessage(
            "taskpilot.agents.boxed.allowed-hosts: '127.0.0.1' is an address; list the host's"
                + " name instead");
  }

  @Test
  void shouldRejectProfileWhenCommandIsMissing() {
    // when / then
    assertThatThrownBy(() -> new AgentProfile("broken", List.of(), null, null, null, null))
        .hasMessageContaining("taskpilot.agents.broken.command");
  }

  @Test
  void shouldRejectProfileWhenStallTimeoutIsNotPositive() {
    // when / then
    assertThatThrownBy(
            () ->
                new AgentProfile("mute", List.of("x"), null, null, null, null, Duration.ZERO, null))
        .hasMessage("taskpilot.agents.mute.stall-timeout must be positive");
  }

  @Test
  void shouldBindWorkspacesRootWhenConfigured() {
    // given
    Map<String, Object> properties = Map.of("taskpilot.workspaces.root", "/srv/workspaces");

    // when
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      // then
      assertThat(context.getBean(WorkspacesConfig.class).root())
          .isEqualTo(Path.of("/srv/workspaces"));
    }
  }

  @Test
  void shouldWireAgentActivitiesWhenOutputSinkIsProvided(@TempDir Path root) {
    // given
    Map<String, Object> properties =
        Map.of(
            "taskpilot.workspaces.root", root.resolve("workspaces").toString(),
            "taskpilot.agents.example.command", List.of("example-agent.sh"));

    // when
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      context.registerSingleton(AgentOutputSink.class, new InMemoryAgentOutputSink());
      AgentActivitiesImpl activities = context.getBean(AgentActivitiesImpl.class);

      // then
      assertThat(activities).isNotNull();
      assertThat(context.getBean(Workspaces.class).root()).isEqualTo(root.resolve("workspaces"));
      assertThat(root.resolve("workspaces")).isDirectory();
    }
  }

  @Test
  void shouldDefaultWorkspacesRootToUserHomeWhenNotConfigured() {
    // when
    WorkspacesConfig config = new WorkspacesConfig(null);

    // then
    assertThat(config.root())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".taskpilot", "workspaces"));
  }
}
