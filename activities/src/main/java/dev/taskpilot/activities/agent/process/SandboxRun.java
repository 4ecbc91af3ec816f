package dev.taskpilot.activities.agent.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What one sandboxed run holds while it runs: the agent's home, what it sees read-only besides the
 * system, and its proxy with the socket's private directory when it may use the network. Closing it
 * stops the proxy and removes the directory.
 *
 * @param home the agent's home on the worker
 * @param readOnly paths bound read-only where they are
 * @param proxyDirectory the proxy socket's directory, when networked
 * @param proxy the proxy, when networked
 */
record SandboxRun(
    Path home, List<Path> readOnly, Optional<Path> proxyDirectory, Optional<SandboxProxy> proxy)
    implements AutoCloseable {

  SandboxRun {
    readOnly = List.copyOf(readOnly);
  }

  @Override
  public void close() {
    proxy.ifPresent(SandboxProxy::close);
    proxyDirectory.ifPresent(
        directory -> {
          try {
            Files.deleteIfExists(directory);
          } catch (IOException e) {
            // A leftover empty directory in tmp; nothing to do about it.
          }
        });
  }
}
