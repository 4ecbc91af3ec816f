package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.taskpilot.store.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Running out of database connections is answered 503 DATABASE_UNAVAILABLE with Retry-After, never
 * 500, and the API recovers by itself once connections are free again.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatabaseUnavailableTest {

  @Test
  void shouldAnswerServiceUnavailableWithRetryAfterWhenThePoolIsExhausted() throws Exception {
    // given: dev without workers (only the API uses the pool), a pool of two, a short wait for one
    try (RunningTaskpilot taskpilot =
        RunningTaskpilot.dev(
            0,
            Files.createTempDirectory("taskpilot-busy-"),
            TestDatabase.freshDatasourceProperties(),
            Map.of(
                "datasources.default.maximum-pool-size", 2,
                "datasources.default.minimum-idle", 2,
                "datasources.default.connection-timeout", 250))) {
      DataSource configured = taskpilot.runtime().context().getBean(DataSource.class);
      HikariDataSource pool =
          configured instanceof HikariDataSource hikari
              ? hikari
              : configured.unwrap(HikariDataSource.class);
      List<Connection> held = new ArrayList<>();
      try {
        // when: every connection is taken
        for (int i = 0; i < 2; i++) {
          held.add(pool.getConnection());
        }
        HttpResponse<String> created =
            taskpilot.post("/api/v1/tasks", "{\"prompt\": \"wait for a connection\"}");
        HttpResponse<String> listed = taskpilot.get("/api/v1/tasks");

        // then
        for (HttpResponse<String> busy : List.of(created, listed)) {
          assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
          assertThat(RunningTaskpilot.json(busy).path("code").asText())
              .isEqualTo("DATABASE_UNAVAILABLE");
          assertThat(busy.headers().firstValue("Retry-After")).hasValue("2");
        }
      } finally {
        for (Connection connection : held) {
          connection.close();
        }
      }

      // and then: once connections are free, the same request goes through
      HttpResponse<String> again = taskpilot.get("/api/v1/tasks");
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    }
  }
}
