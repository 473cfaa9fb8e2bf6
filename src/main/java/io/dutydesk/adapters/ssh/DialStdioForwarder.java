package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.Session;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * When the server refuses streamlocal forwarding: a local listener on 127.0.0.1 that runs
 * {@code docker system dial-stdio} (or the configured command) over SSH for each accepted
 * connection and pipes the bytes both ways, as the docker CLI does for ssh:// hosts.
 */
final class DialStdioForwarder implements AutoCloseable {
    private final ServerSocket server;
    private final String command;
    private final Supplier<Session> session;
    private final ExecutorService pumps;
    private final int timeoutMs;

    DialStdioForwarder(int port, String command, Supplier<Session> session, ExecutorService pumps, int timeoutMs)
            throws IOException {
        this.command = command;
        this.session = session;
        this.pumps = pumps;
        this.timeoutMs = timeoutMs;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        pumps.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pumps.execute(() -> serve(client));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket client) {
        ChannelExec ch = null;
        try (client) {
            Session s = session.get();
            if (s == null) {
                return; // no connection: the client sees a closed socket
            }
            ch = (ChannelExec) s.openChannel("exec");
            ch.setCommand(command);
            InputStream fromRemote = ch.getInputStream();
            OutputStream toRemote = ch.getOutputStream();
            ch.connect(timeoutMs);
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            ChannelExec channel = ch;
            pumps.execute(() -> {
                try {
                    pump(fromClient, toRemote);
                    toRemote.close(); // EOF to dial-stdio, which half-closes the docker socket
                } catch (IOException ignored) {
                    channel.disconnect();
                }
            });
            pump(fromRemote, toClient);
        } catch (Exception ignored) {
            // the client sees the connection close; the adapter reports the failure
        } finally {
            if (ch != null) {
                ch.disconnect();
            }
        }
    }

    /** Copies until EOF, flushing every chunk: JSch's channel stream holds data until flushed. */
    private static void pump(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (n > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listener
        }
    }
}
