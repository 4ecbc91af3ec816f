package dev.taskpilot.activities.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.output.AgentOutputSink;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the runner and the reaper Micronaut creates keep their records of process groups. */
class RunDirectoryConfigurationTest {

  @Test
  void shouldUseConfiguredRunDirectoryForRunnerAndReaperWhenSet() {
    // given
    Map<String, Object> properties =
        Map.of(
            "taskpilot.agent-runs-dir", "/srv/run/agents",
            "taskpilot.data-dir", "/srv/data");

    // when
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      context.registerSingleton(AgentOutputSink.class, new InMemoryAgentOutputSink());

      // then
      assertThat(context.getBean(AgentProcessRunner.class).settings().runDirectory())
          .isEqualTo(Path.of("/srv/run/agents"));
      assertThat(context.getBean(ProcessReaper.class).runDirectory())
          .isEqualTo(Path.of("/srv/run/agents"));
    }
  }

  @Test
  void shouldPutRunDirectoryUnderDataDirectoryWhenOnlyThatIsSet() {
    // given
    Map<String, Object> properties = Map.of("taskpilot.data-dir", "/srv/data");

    // when
    try (ApplicationContext context = ApplicationContext.run(properties)) {
      context.registerSingleton(AgentOutputSink.class, new InMemoryAgentOutputSink());

      // then
      assertThat(context.getBean(AgentProcessRunner.class).settings().runDirectory())
          .isEqualTo(Path.of("/srv/data/run/agents"));
      assertThat(context.getBean(ProcessReaper.class).runDirectory())
          .isEqualTo(Path.of("/srv/data/run/agents"));
    }
  }

  @Test
  void shouldPutRunDirectoryInTmpWhenNothingIsConfigured() throws Exception {
    // given
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    Path expected = Path.of(System.getProperty("java.io.tmpdir"), "taskpilot-agents-" + uid);

    // when
    try (ApplicationContext context = ApplicationContext.run()) {
      context.registerSingleton(AgentOutputSink.class, new InMemoryAgentOutputSink());

      // then
      assertThat(context.getBean(AgentProcessRunner.class).settings().runDirectory())
          .isEqualTo(expected);
      assertThat(context.getBean(ProcessReaper.class).runDirectory()).isEqualTo(expected);
    }
  }
}
