package dev.taskpilot.api.tasks;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Secrets collected while a request is mapped, by target or channel key. */
final class MappedSecrets {
  private final Map<String, String> values = new LinkedHashMap<>();

  Map<String, String> values() {
    return values;
  }

  /**
   * Keeps a secret under its target's or channel's key; two different ones under one key are
   * refused.
   */
  void put(String key, String value) {
    if (value == null) {
      return;
    }
    String kept = values.putIfAbsent(key, value);
    if (kept != null && !kept.equals(value)) {
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "two targets or channels of one task would keep their secrets under the same name;"
              + " spell one of their URLs differently");
    }
  }
}
