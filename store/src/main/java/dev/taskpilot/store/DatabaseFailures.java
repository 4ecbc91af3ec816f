package dev.taskpilot.store;

import io.micronaut.data.connection.exceptions.ConnectionException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/** Which database failures are an outage (trying again later is safe) rather than a bug. */
public final class DatabaseFailures {
  private DatabaseFailures() {}

  /**
   * Whether an exception is a failure to get or keep a connection: the pool's timeout ({@link
   * SQLTransientConnectionException}), a connection the server dropped ({@link
   * SQLRecoverableException}, {@link SQLNonTransientConnectionException}, or Micronaut's {@link
   * ConnectionException} around a connection the pool had already found closed), a connection error
   * (SQL state class 08), the server shutting down or starting ({@code 57P01}-{@code 57P03}) or out
   * of connections ({@code 53300}). Nothing was committed then, or a statement that is safe to
   * repeat was, so trying again is safe.
   */
  public static boolean isConnectionFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException
          || cause instanceof SQLRecoverableException
          || cause instanceof SQLNonTransientConnectionException
          || cause instanceof ConnectionException
          || (cause instanceof SQLException sql && isUnavailable(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUnavailable(String sqlState) {
    return sqlState != null
        && (sqlState.startsWith("08") || sqlState.startsWith("57P0") || sqlState.equals("53300"));
  }
}
