package dev.taskpilot.workflows.activities.publish;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a task's result goes. A closed family: each target type is one record. Secrets (a webhook's
 * signing secret) never travel in here: the API stores them in PostgreSQL under the target's {@link
 * #key()} and the publisher reads them when it sends.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PublishTarget.File.class, name = "file"),
  @JsonSubTypes.Type(value = PublishTarget.Webhook.class, name = "webhook"),
  @JsonSubTypes.Type(value = PublishTarget.Git.class, name = "git")
})
public sealed interface PublishTarget {

  /** The first 12 hex digits of the SHA-256 of a text: deterministic, so usable in workflows. */
  static String shortHash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** A stable key of this target within its task: the publish ledger's key, and a secret's name. */
  String key();

  /** The target's type name as the API spells it. */
  String type();

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

    @Override
    public String type() {
      return "file";
    }
  }

  /**
   * An HTTP(S) endpoint the result is POSTed to as JSON.
   *
   * @param url the endpoint
   * @param signed whether a signing secret is stored for this target (then every delivery carries
   *     {@code X-Taskpilot-Signature})
   */
  record Webhook(String url, boolean signed) implements PublishTarget {
    /**
     * {@code webhook:<url>}; a query string, which may carry a token, is replaced by a short hash
     * of it, so the key can be shown and still tells two targets apart.
     */
    @Override
    public String key() {
      int query = url.indexOf('?');
      if (query < 0) {
        return "webhook:" + url;
      }
      return "webhook:" + url.substring(0, query) + "?#" + shortHash(url.substring(query));
    }

    @Override
    public String type() {
      return "webhook";
    }
  }

  /**
   * A git remote the task's worktree changes are committed and pushed to.
   *
   * @param remote the remote's URL or path, without credentials
   * @param branch the branch pushed, {@code taskpilot/<task-id>} unless the task named one
   */
  record Git(String remote, String branch) implements PublishTarget {
    @Override
    public String key() {
      return "git:" + remote + "#" + branch;
    }

    @Override
    public String type() {
      return "git";
    }
  }
}
