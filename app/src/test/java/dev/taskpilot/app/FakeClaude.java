package dev.taskpilot.app;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Agent profiles speaking Claude Code's stream-json with sessions, replaying the CLI's real
 * transcripts (`fake-claude-session.sh` over `fake-agent-replay.sh`): each replays its first
 * transcript, or, resumed with {@code --resume}, the successful one.
 */
final class FakeClaude {
  private FakeClaude() {}

  /** A recorded transcript by file name, or {@code STALL} (its session id, then silence). */
  static String transcript(String name) {
    if ("STALL".equals(name)) {
      return name;
    }
    Path home = Path.of(System.getProperty("taskpilot.home"));
    return home.resolve("activities/src/test/resources/transcripts").resolve(name).toString();
  }

  /**
   * Configuration of one profile per entry (profile name to first transcript, see {@link
   * #transcript}), each with the given stall timeout.
   */
  static Map<String, Object> profiles(Map<String, String> firstTranscripts, String stallTimeout) {
    Path home = Path.of(System.getProperty("taskpilot.home"));
    String replay = home.resolve("agents/fake-agent-replay.sh").toString();
    String wrapper =
        home.resolve("app/src/test/resources/agents/fake-claude-session.sh").toString();
    String success = transcript("success-write-tool.jsonl");
    Map<String, Object> config = new HashMap<>();
    firstTranscripts.forEach(
        (name, first) -> {
          String key = "taskpilot.agents." + name + ".";
          config.put(key + "command", List.of("bash", wrapper, replay, transcript(first), success));
          // The default sandbox shows the scripts and transcripts only when listed.
          config.put(
              key + "sandbox-paths",
              List.of(wrapper, replay, Path.of(success).getParent().toString()));
          config.put(key + "format", "claude-stream-json");
          config.put(key + "prompt", "argument");
          config.put(key + "resume-args", List.of("--resume", "{sessionId}"));
          config.put(key + "stall-timeout", stallTimeout);
        });
    return config;
  }
}
