package dev.taskpilot.activities.agent.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeAgentReplayScriptTest {

  @Test
  void shouldReplayTranscriptAndExitZeroWhenResultSucceeded() throws Exception {
    // when
    Run run = replay("success-write-tool.jsonl", "0", "write RESULT.md");

    // then
    assertThat(run.exitCode()).isZero();
    assertThat(run.lines()).isEqualTo(Transcripts.lines("success-write-tool.jsonl"));
  }

  @Test
  void shouldAnnounceResumeAndExitOneWhenResultIsError() throws Exception {
    // when
    Run run = replay("limit.jsonl", "0", "--resume", "abc-123", "go on");

    // then
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.lines().getFirst())
        .isEqualTo("{\"type\":\"system\",\"subtype\":\"resumed\",\"session_id\":\"abc-123\"}");
    assertThat(run.lines()).hasSize(Transcripts.lines("limit.jsonl").size() + 1);
  }

  private record Run(int exitCode, List<String> lines) {}

  private static Run replay(String transcript, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(script().toString());
    command.add(transcriptPath(transcript).toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output.lines().toList());
  }

  private static Path script() {
    Path home = Path.of(System.getProperty("taskpilot.home", ".."));
    Path script = home.resolve("agents/fake-agent-replay.sh").toAbsolutePath().normalize();
    assertThat(script).isExecutable();
    return script;
  }

  private static Path transcriptPath(String name) throws URISyntaxException {
    return Path.of(Transcripts.class.getResource("/transcripts/" + name).toURI());
  }
}
