package io.dutydesk.core.ports;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Local ends of SSH forwards, bound to 127.0.0.1 on ephemeral ports. The address of a forward
 * stays the same across reconnects, so clients built on it keep working.
 */
public interface Tunnels {
    /** A local address that reaches {@code host:port} as seen from the server. */
    CompletableFuture<InetSocketAddress> forwardTcp(String host, int port);

    /**
     * A local TCP address that reaches the server's unix socket {@code socketPath}: a streamlocal
     * forward, or, when the server refuses those, one {@code fallbackCommand} (e.g.
     * {@code docker system dial-stdio}) per connection.
     */
    CompletableFuture<InetSocketAddress> forwardUnixSocket(String socketPath, String fallbackCommand);
}
