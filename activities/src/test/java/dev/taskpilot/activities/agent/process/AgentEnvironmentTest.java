package dev.taskpilot.activities.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentEnvironmentTest {
  private static final Map<String, String> SERVER =
      Map.of(
          "PATH", "/usr/bin:/bin",
          "HOME", "/home/worker",
          "LANG", "C.UTF-8",
          "DATASOURCES_DEFAULT_PASSWORD", "secret",
          "ANTHROPIC_API_KEY", "sk-test",
          "GIT_AUTHOR_NAME", "Taskpilot");

  @Test
  void shouldPassBasicsAndTaskIdentityOnlyWhenProfileListsNothing() {
    // when
    Map<String, String> environment =
        AgentEnvironment.of(SERVER, List.of(), "task-1", Path.of("/w/task-1"));

    // then
    assertThat(environment)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "PATH", "/usr/bin:/bin",
                "HOME", "/home/worker",
                "LANG", "C.UTF-8",
                "TASKPILOT_TASK_ID", "task-1",
                "TASKPILOT_WORKSPACE", "/w/task-1"));
  }

  @Test
  void shouldPassListedVariablesWhenProfileNamesThem() {
    // when
    Map<String, String> environment =
        AgentEnvironment.of(
            SERVER, List.of("ANTHROPIC_API_KEY", "NOT_SET_ANYWHERE"), "t", Path.of("/w"));

    // then
    assertThat(environment)
        .containsEntry("ANTHROPIC_API_KEY", "sk-test")
        .doesNotContainKeys("DATASOURCES_DEFAULT_PASSWORD", "GIT_AUTHOR_NAME", "NOT_SET_ANYWHERE");
  }

  @Test
  void shouldKeepTaskIdentityWhenServerEnvironmentTriesToOverrideIt() {
    // given
    Map<String, String> server = Map.of("TASKPILOT_TASK_ID", "other");

    // when
    Map<String, String> environment =
        AgentEnvironment.of(server, List.of("TASKPILOT_TASK_ID"), "mine", Path.of("/w"));

    // then
    assertThat(environment).containsEntry("TASKPILOT_TASK_ID", "mine");
  }
}
