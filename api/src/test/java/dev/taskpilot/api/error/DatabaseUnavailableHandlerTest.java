package dev.taskpilot.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which database failures mean "no connection now, try again" and which are errors. */
class DatabaseUnavailableHandlerTest {

  @ParameterizedTest
  @CsvSource({
    "08001, true", // cannot connect
    "08006, true", // connection failure mid-statement
    "57P01, true", // terminating connection due to administrator command
    "57P03, true", // the server is starting up
    "53300, true", // too many connections
    "23505, false", // unique violation: a real error
    "42P01, false" // undefined table: a real error
  })
  void shouldTellConnectionFailuresFromErrorsWhenWrappedAsTheFrameworkDoes(
      String sqlState, boolean unavailable) {
    // given: the framework wraps the driver's exception
    RuntimeException thrown =
        new IllegalStateException("Error executing PERSIST", new SQLException("boom", sqlState));

    // then
    assertThat(DatabaseUnavailableHandler.isConnectionFailure(thrown)).isEqualTo(unavailable);
  }

  @ParameterizedTest
  @CsvSource({"true", "false"})
  void shouldTreatThePoolsTimeoutAsUnavailableWhenItIsTheCause(boolean wrapped) {
    // given
    SQLTransientConnectionException timeout =
        new SQLTransientConnectionException("pool - Connection is not available");
    Throwable thrown =
        wrapped ? new RuntimeException("Failed to obtain JDBC Connection", timeout) : timeout;

    // then
    assertThat(DatabaseUnavailableHandler.isConnectionFailure(thrown)).isTrue();
  }
}
