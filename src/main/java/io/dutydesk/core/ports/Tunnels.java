package io.dutydesk.core.ports;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Ways to reach the server's services through the environment's SSH connection.
 *
 * <p>Nothing here opens a door on the workstation that another process could use: HTTP APIs
 * (Prometheus, Alertmanager) and the PostgreSQL and Redis clients go through in-process SSH
 * channels ({@link #open}: no listener at all, whatever the service's own authentication); the
 * Docker socket through a local unix socket inside a folder only the user can enter
 * ({@link #forwardUnixSocket}). There is no TCP listener.
 */
public interface Tunnels {

    /**
     * A local unix socket, inside a folder of mode 0700, that reaches the server's unix socket
     * {@code socketPath}: a streamlocal channel per connection or, while the server refuses those,
     * one {@code fallbackCommand} (e.g. {@code docker system dial-stdio}) per connection. The path
     * stays the same across reconnects.
     */
    CompletableFuture<Path> forwardUnixSocket(String socketPath, String fallbackCommand);

    /**
     * Why the last connection through the unix socket forward of {@code socketPath} failed on the
     * server side ("permission denied ...", the fallback command's own error), if it did; cleared
     * when a connection gets through.
     */
    default Optional<String> unixSocketFailure(String socketPath) {
        return Optional.empty();
    }

    /**
     * An in-process stream to {@code host:port} as seen from the server (an SSH direct-tcpip channel).
     * Cancelling the returned future is how a caller gives up before the stream is open: the
     * implementation then opens nothing, or closes the channel as soon as it is open — a cancelled
     * open never leaves a channel behind.
     */
    CompletableFuture<Stream> open(String host, int port);

    /** Both directions of an in-process channel; closing it aborts whatever is reading or writing. */
    interface Stream extends AutoCloseable {
        InputStream input();

        OutputStream output();

        @Override
        void close();
    }
}
