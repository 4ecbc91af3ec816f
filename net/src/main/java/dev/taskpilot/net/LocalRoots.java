package dev.taskpilot.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Directories a local path (a git remote on this machine, say) must lie under, compared with
 * symbolic links resolved on both sides so that no link leads out of them.
 */
public final class LocalRoots {

  private final List<Path> roots;

  private LocalRoots(List<Path> roots) {
    this.roots = roots;
  }

  /** The roots, each resolved as {@link #real(Path)} does now; none when null. */
  public static LocalRoots of(Collection<Path> roots) {
    return new LocalRoots(
        roots == null ? List.of() : roots.stream().map(LocalRoots::real).toList());
  }

  /** Whether there are no roots, so that no path is under one. */
  public boolean isEmpty() {
    return roots.isEmpty();
  }

  /** The roots, resolved. */
  public List<Path> paths() {
    return roots;
  }

  /**
   * The path resolved as {@link #real(Path)} does, when that lies strictly under (not at) one of
   * the roots; empty otherwise. Hand on the resolved path, not the written one, so that nothing
   * reads the path differently later.
   */
  public Optional<Path> resolve(Path path) {
    Path resolved = real(path);
    return roots.stream().anyMatch(root -> resolved.startsWith(root) && !resolved.equals(root))
        ? Optional.of(resolved)
        : Optional.empty();
  }

  /**
   * The path made absolute and normalised, then with symbolic links resolved as far as it exists;
   * the part that does not exist yet is appended as it is.
   */
  public static Path real(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    List<Path> missing = new ArrayList<>();
    while (existing != null && !Files.exists(existing)) {
      missing.add(0, existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      return absolute;
    }
    try {
      Path resolved = existing.toRealPath();
      for (Path part : missing) {
        resolved = resolved.resolve(part);
      }
      return resolved;
    } catch (IOException e) {
      return absolute;
    }
  }

  @Override
  public String toString() {
    return roots.toString();
  }
}
