package dev.taskpilot.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves host names; a bean, so tests can make a name resolve wherever they need. */
@FunctionalInterface
public interface HostResolver {

  /** Every A and AAAA address of the host. */
  List<InetAddress> resolve(String host) throws UnknownHostException;
}
