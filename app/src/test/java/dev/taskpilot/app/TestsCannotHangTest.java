package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the app tests from hanging: HTTP goes through {@link TestHttp} (whose requests always have
 * a timeout), and every test class that waits on a running Taskpilot or a workflow declares a
 * class-level {@code @Timeout}.
 */
class TestsCannotHangTest {
  private static final Path SOURCES =
      Path.of(System.getProperty("taskpilot.home"), "app/src/test/java");
  private static final Pattern WAITS =
      Pattern.compile("RunningTaskpilot|EventsTaskpilot|TaskpilotRuntime|WorkflowClient");
  private static final Pattern CLASS_TIMEOUT =
      Pattern.compile(
          "(?m)^@Timeout\\([^)]*\\)\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*(?:public\\s+)?(?:final\\s+)?class ");

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
    }
  }

  @Test
  void shouldBuildHttpClientsAndRequestsOnlyInTestHttp() throws IOException {
    List<String> offenders =
        sources().stream()
            .filter(file -> !file.endsWith("TestHttp.java"))
            .filter(file -> !file.endsWith("TestsCannotHangTest.java"))
            .filter(
                file -> {
                  String source = read(file);
                  return source.contains("HttpClient.new")
                      || source.contains("HttpRequest.newBuilder(")
                      || source.contains("HttpURLConnection");
                })
            .map(file -> SOURCES.relativize(file).toString())
            .toList();
    assertThat(offenders).as("use TestHttp.client()/request()/send()").isEmpty();
  }

  @Test
  void shouldDeclareAClassTimeoutWhereATestWaitsOnTaskpilot() throws IOException {
    List<String> offenders =
        sources().stream()
            .filter(
                file -> {
                  String source = read(file);
                  return source.contains("@Test")
                      && WAITS.matcher(source).find()
                      && !file.endsWith("TestsCannotHangTest.java")
                      && !CLASS_TIMEOUT.matcher(source).find();
                })
            .map(file -> SOURCES.relativize(file).toString())
            .toList();
    assertThat(offenders)
        .as("add @Timeout(..., threadMode = SEPARATE_THREAD) to the class")
        .isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
