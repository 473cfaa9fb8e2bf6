package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.ChannelDirectStreamLocal;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import io.dutydesk.core.ShellQuote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local unix socket (in the connection's 0700 folder, itself 0600) that reaches a unix socket
 * of the server, e.g. Docker's. Each accepted connection gets its own SSH channel on the current
 * session: a {@code direct-streamlocal@openssh.com} channel, or, when the server refuses those
 * although the socket is there and usable, the fallback command ({@code docker system dial-stdio})
 * with its stdin/stdout piped, as the docker CLI does for ssh:// hosts.
 *
 * <p>The fallback is chosen per session and only once it has worked: a socket that is missing or
 * denied (Docker stopped, the user not in its group) is reported as such and never switches the
 * mode; a new session tries streamlocal again.
 */
final class UnixSocketForward implements AutoCloseable {
    /** The current session, connecting if needed. */
    interface Sessions {
        Session get() throws Exception;
    }

    private final String remotePath;
    private final String fallbackCommand;
    private final Path localPath;
    private final ServerSocketChannel server;
    private final Sessions sessions;
    private final ExecutorService pumps;
    private final int timeoutMs;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private volatile String failure;
    private volatile Session dialStdioOn;
    private volatile boolean closed;

    UnixSocketForward(Path localPath, String remotePath, String fallbackCommand, Sessions sessions, ExecutorService pumps,
                      int timeoutMs) throws IOException {
        this.localPath = localPath;
        this.remotePath = remotePath;
        this.fallbackCommand = fallbackCommand;
        this.sessions = sessions;
        this.pumps = pumps;
        this.timeoutMs = timeoutMs;
        Files.deleteIfExists(localPath);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(localPath));
        Files.setPosixFilePermissions(localPath, PosixFilePermissions.fromString("rw-------"));
        pumps.execute(this::acceptLoop);
    }

    Path localPath() {
        return localPath;
    }

    /** "dial-stdio" once the fallback has worked on {@code current}, else "streamlocal". */
    String mode(Session current) {
        return current != null && current == dialStdioOn ? "dial-stdio" : "streamlocal";
    }

    /** The server-side reason the last connection failed, or null once one got through. */
    String failure() {
        return failure;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                clients.add(client);
                pumps.execute(() -> serve(client));
            } catch (IOException e) {
                if (closed || !server.isOpen()) {
                    return;
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // shutting down
            }
        }
    }

    private void serve(SocketChannel client) {
        try {
            Session s;
            try {
                s = sessions.get();
            } catch (Exception e) {
                failure = "SSH: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                return;
            }
            if (s == dialStdioOn) {
                dialStdio(client, s, false);
                return;
            }
            ChannelDirectStreamLocal ch = (ChannelDirectStreamLocal) s.openChannel("direct-streamlocal@openssh.com");
            ch.setSocketPath(remotePath);
            InputStream fromRemote = ch.getInputStream();
            try {
                ch.connect(timeoutMs);
            } catch (JSchException refused) {
                ch.disconnect();
                String why = diagnose(s);
                if (why != null) {
                    failure = why; // recorded before the client sees its socket close
                    return;
                }
                // the socket is there and usable, yet the server would not open it: streamlocal is off
                dialStdio(client, s, true);
                return;
            }
            try {
                failure = null;
                pipe(client, fromRemote, ch.getOutputStream());
            } finally {
                ch.disconnect();
            }
        } catch (Exception e) {
            if (failure == null && !closed) {
                failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        } finally {
            clients.remove(client);
            closeQuietly(client);
        }
    }

    /** One fallback command for this client; {@code probing}: mark the session once it answers. */
    private void dialStdio(SocketChannel client, Session s, boolean probing) throws Exception {
        ChannelExec ch = (ChannelExec) s.openChannel("exec");
        ch.setCommand(fallbackCommand);
        InputStream fromRemote = ch.getInputStream();
        InputStream err = ch.getExtInputStream();
        OutputStream toRemote = ch.getOutputStream();
        ch.connect(timeoutMs);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(err), pumps);
        boolean[] answered = {false};
        try {
            pipe(client, new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = fromRemote.read(b, off, len);
                    if (n > 0 && !answered[0]) {
                        answered[0] = true;
                        failure = null;
                        if (probing) {
                            dialStdioOn = s;
                        }
                    }
                    return n;
                }
            }, toRemote);
            if (!answered[0]) {
                String text = "";
                try {
                    text = stderr.get(timeoutMs, TimeUnit.MILLISECONDS).strip();
                } catch (Exception ignored) {
                    // no stderr in time
                }
                failure = text.isEmpty()
                        ? "'" + fallbackCommand + "' on the server ended without answering (exit " + ch.getExitStatus() + ")"
                        : text.lines().reduce((a, b) -> b).orElse(text);
            }
        } finally {
            ch.disconnect();
        }
    }

    private static String readAll(InputStream in) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0 && b.size() < 64 * 1024) {
                b.write(buf, 0, n);
            }
        } catch (IOException ignored) {
            // channel closed
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /**
     * Why the server's socket cannot be reached, asked with one short command: null when it is a
     * socket this user may open (then the server itself refused the streamlocal channel). Its answer is awaited at most
     * {@code timeoutMs}, as the channel's open: it read the command's output to its end without a bound, and a server that
     * never ended the command (a stalled session, a hung login script) held the client's connection — the caller's read
     * of the forward, e.g. Docker's ping — for as long.
     */
    private String diagnose(Session s) {
        String p = ShellQuote.quote(remotePath);
        String script = "p=" + p + "; if [ ! -e \"$p\" ]; then echo missing; elif [ ! -S \"$p\" ]; then echo notsocket; "
                + "elif [ -r \"$p\" ] && [ -w \"$p\" ]; then echo ok; else echo denied; id -un; ls -l \"$p\"; fi";
        try {
            ChannelExec ch = (ChannelExec) s.openChannel("exec");
            ch.setCommand(script);
            InputStream out = ch.getInputStream();
            ch.connect(timeoutMs);
            try {
                String answer;
                try {
                    // read on a pump; the channel's disconnect below ends that read when the time is up
                    answer = CompletableFuture.supplyAsync(() -> readAll(out), pumps).get(timeoutMs, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    return "the server did not say within " + Math.max(1, timeoutMs / 1000)
                            + " s whether the socket is there (no answer to a short command)";
                }
                String[] lines = answer.strip().split("\n");
                return switch (lines[0].strip()) {
                    case "missing" -> "no such socket on the server (is the daemon running?)";
                    case "notsocket" -> "not a unix socket on the server";
                    case "denied" -> "permission denied while trying to connect to unix://" + remotePath + " as "
                            + (lines.length > 1 ? lines[1].strip() : "this user")
                            + (lines.length > 2 ? " (" + lines[2].strip().replaceAll("\\s+", " ") + ")" : "");
                    case "ok" -> null;
                    default -> "the server did not open a channel to it";
                };
            } finally {
                ch.disconnect();
            }
        } catch (Exception e) {
            return "the server did not open a channel to it ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        }
    }

    /** Copies both ways until the server's side ends; the client's EOF is passed on as EOF. */
    private void pipe(SocketChannel client, InputStream fromRemote, OutputStream toRemote) throws IOException {
        pumps.execute(() -> {
            ByteBuffer buf = ByteBuffer.allocate(16384);
            try {
                while (client.read(buf) >= 0) {
                    if (buf.position() > 0) {
                        toRemote.write(buf.array(), 0, buf.position());
                        toRemote.flush(); // JSch holds data until flushed
                        buf.clear();
                    }
                }
                toRemote.close(); // EOF: dial-stdio half-closes the daemon's socket
            } catch (IOException ignored) {
                // either side closed
            }
        });
        byte[] buf = new byte[16384];
        int n;
        while ((n = fromRemote.read(buf)) >= 0) {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
            while (b.hasRemaining()) {
                client.write(b);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        for (SocketChannel c : clients) {
            closeQuietly(c);
        }
        try {
            Files.deleteIfExists(localPath);
        } catch (IOException ignored) {
            // the folder goes with the connection
        }
    }
}
