package dev.taskpilot.workflows.activities;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Where a task's result goes. A closed family: each target type is one record. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = PublishTarget.File.class, name = "file")})
public sealed interface PublishTarget {

  /** A stable key of this target within its task, used by the publish ledger. */
  String key();

  /**
   * A file written atomically under {@code taskpilot.publish.file-root}.
   *
   * @param path the file's path relative to the file root
   */
  record File(String path) implements PublishTarget {
    @Override
    public String key() {
      return "file:" + path;
    }
  }
}
