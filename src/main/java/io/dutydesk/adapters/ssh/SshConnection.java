package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.ChannelDirectStreamLocal;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.core.Backend;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.Tunnels;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one SSH connection of an environment: exec with streamed output, SFTP, and local
 * forwards (TCP, and the Docker unix socket with a {@code docker system dial-stdio} fallback).
 * Connects on first use; after a failure the next attempt waits 1, 2, 4 ... 30 s. Every call
 * has a timeout. Forwards keep their local port across reconnects.
 */
public final class SshConnection implements RemoteShell, Tunnels, BackendProbe, AutoCloseable {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration PROMPT_TIMEOUT = Duration.ofMinutes(10);

    private final Environment.Ssh target;
    private final SessionFactory sessions;
    private final ExecutorService executor;
    private final ExecutorService pumps;
    private final Map<String, Forward> forwards = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private Session session;
    private Session jumpSession;
    private int failures;
    private Instant nextAttempt = Instant.MIN;
    private String lastError;
    private volatile boolean closed;

    /** A registered forward; {@code localPort} is fixed after the first bind. */
    private static final class Forward {
        final String key;
        final String host;
        final int port;
        final String socketPath;
        final String fallbackCommand;
        volatile int localPort;
        volatile Session boundTo;
        volatile DialStdioForwarder dialStdio;

        Forward(String key, String host, int port, String socketPath, String fallbackCommand) {
            this.key = key;
            this.host = host;
            this.port = port;
            this.socketPath = socketPath;
            this.fallbackCommand = fallbackCommand;
        }
    }

    public SshConnection(Environment.Ssh target, HostKeyPrompt hostKeys) {
        this.target = target;
        this.sessions = new SessionFactory(hostKeys, PROMPT_TIMEOUT);
        this.executor = BoundedExecutors.create("ssh", 4, 64);
        this.pumps = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dutydesk-ssh-pump");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Backend backend() {
        return Backend.SSH;
    }

    /** One round trip over the (re)connected session. */
    @Override
    public CompletableFuture<Void> ping() {
        return exec("true", Duration.ofSeconds(5), OutputListener.NONE).thenAccept(r -> {
            if (r.exitCode() != 0) {
                throw new IllegalStateException("'true' exited " + r.exitCode() + " on the server");
            }
        });
    }

    /** How the unix socket forward for {@code socketPath} works now: "streamlocal" or "dial-stdio". */
    public String unixForwardMode(String socketPath) {
        Forward f = forwards.get("unix:" + socketPath);
        if (f == null) {
            return "none";
        }
        return f.dialStdio != null ? "dial-stdio" : "streamlocal";
    }

    public boolean isConnected() {
        synchronized (lock) {
            return session != null && session.isConnected();
        }
    }

    /** Drops the connection as a network cut would (for tests and the "reconnect" action). */
    public void disconnect() {
        synchronized (lock) {
            if (session != null) {
                session.disconnect();
            }
            if (jumpSession != null) {
                jumpSession.disconnect();
            }
        }
    }

    // ------------------------------------------------------------------ session

    /** The connected session, connecting (or reconnecting) if needed; call on the executor. */
    Session session() throws Exception {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("connection closed");
            }
            if (session != null && session.isConnected()) {
                return session;
            }
            Instant now = Instant.now();
            if (now.isBefore(nextAttempt)) {
                long s = Math.max(1, Duration.between(now, nextAttempt).toSeconds());
                throw new IllegalStateException(lastError + " (next attempt in " + s + " s)");
            }
            try {
                session = connect();
                failures = 0;
                nextAttempt = Instant.MIN;
                lastError = null;
                for (Forward f : forwards.values()) {
                    bind(f, session);
                }
                return session;
            } catch (Exception e) {
                failures++;
                long wait = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(failures - 1, 5));
                nextAttempt = Instant.now().plusMillis(wait);
                lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (session != null) {
                    session.disconnect();
                    session = null;
                }
                throw e;
            }
        }
    }

    private Session connect() throws Exception {
        if (jumpSession != null) {
            jumpSession.disconnect();
            jumpSession = null;
        }
        SessionFactory.Opened o = sessions.open(target);
        jumpSession = o.jump();
        return o.session();
    }

    // ------------------------------------------------------------------ exec

    @Override
    public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener) {
        return BoundedExecutors.supply(executor, () -> runExec(command, timeout, listener));
    }

    private ExecResult runExec(String command, Duration timeout, OutputListener listener) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        Session s = session();
        ChannelExec ch = (ChannelExec) s.openChannel("exec");
        ch.setCommand(command);
        ch.setInputStream(null);
        InputStream out = ch.getInputStream();
        InputStream err = ch.getExtInputStream();
        LineCollector so = new LineCollector(false, listener);
        LineCollector se = new LineCollector(true, listener);
        ch.connect((int) Math.min(timeout.toMillis(), target.connectTimeout().toMillis()));
        byte[] buf = new byte[8192];
        try {
            while (true) {
                boolean read = so.drain(out, buf) | se.drain(err, buf);
                if (ch.isClosed() && out.available() == 0 && err.available() == 0) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("'" + abbreviate(command) + "' did not finish within "
                            + timeout.toMillis() + " ms");
                }
                if (!s.isConnected()) {
                    throw new IOException("connection lost while running '" + abbreviate(command) + "'");
                }
                if (!read) {
                    Thread.sleep(5);
                }
            }
        } finally {
            ch.disconnect();
        }
        so.finish();
        se.finish();
        return new ExecResult(ch.getExitStatus(), so.text(), se.text(), Duration.ofNanos(System.nanoTime() - t0));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    // ------------------------------------------------------------------ sftp

    @Override
    public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
        return sftpCall(path, sftp -> {
            try (InputStream in = sftp.get(sftpPath(path))) {
                ByteArrayOutputStream bos = new ByteArrayOutputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    bos.write(buf, 0, n);
                    if (bos.size() > maxBytes) {
                        throw new IOException(path + " is larger than " + maxBytes + " bytes");
                    }
                }
                return bos.toByteArray();
            }
        });
    }

    @Override
    public CompletableFuture<List<RemoteFile>> list(String folder) {
        return sftpCall(folder, sftp -> {
            List<RemoteFile> out = new ArrayList<>();
            @SuppressWarnings("unchecked")
            Vector<ChannelSftp.LsEntry> entries = sftp.ls(sftpPath(folder));
            for (ChannelSftp.LsEntry e : entries) {
                if (e.getFilename().equals(".") || e.getFilename().equals("..")) {
                    continue;
                }
                SftpATTRS a = e.getAttrs();
                out.add(new RemoteFile(e.getFilename(), a.getSize(), Instant.ofEpochSecond(a.getMTime()), a.isDir()));
            }
            out.sort(Comparator.comparing(RemoteFile::name));
            return List.copyOf(out);
        });
    }

    @Override
    public CompletableFuture<Long> download(String path, java.nio.file.Path local, Progress progress) {
        // no overall timeout (a large backup takes its time); keep-alives fail a dead connection
        return BoundedExecutors.supply(executor, () -> withSftp(sftp -> {
            String src = sftpPath(path);
            long total = sftp.stat(src).getSize();
            long have = java.nio.file.Files.exists(local) ? java.nio.file.Files.size(local) : 0;
            if (have > total) {
                java.nio.file.Files.delete(local); // not a prefix of this file: start again
                have = 0;
            }
            long start = have;
            java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong(have);
            java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
            if (!progress.update(have, total)) {
                throw new java.util.concurrent.CancellationException("download of " + path + " stopped");
            }
            try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(local,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                sftp.get(src, out, new com.jcraft.jsch.SftpProgressMonitor() {
                    @Override
                    public void init(int op, String s, String d, long max) { }

                    @Override
                    public boolean count(long n) {
                        boolean go = progress.update(done.addAndGet(n), total);
                        if (!go) {
                            stopped.set(true);
                        }
                        return go;
                    }

                    @Override
                    public void end() { }
                }, ChannelSftp.RESUME, start);
            }
            if (stopped.get()) {
                throw new java.util.concurrent.CancellationException("download of " + path + " stopped at "
                        + done.get() + " of " + total + " bytes (resumable)");
            }
            return java.nio.file.Files.size(local);
        }, path));
    }

    /** An SFTP operation on the executor, failed after the command timeout even if the server stalls. */
    private <T> CompletableFuture<T> sftpCall(String path, SftpWork<T> work) {
        long ms = target.commandTimeout().toMillis();
        return BoundedExecutors.supply(executor, () -> withSftp(work, path))
                .orTimeout(ms, TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                        io.dutydesk.core.Errors.unwrap(e) instanceof TimeoutException
                                ? new TimeoutException("SFTP " + path + ": no answer within " + ms + " ms")
                                : io.dutydesk.core.Errors.unwrap(e)));
    }

    private interface SftpWork<T> {
        T run(ChannelSftp sftp) throws Exception;
    }

    private <T> T withSftp(SftpWork<T> work, String path) throws Exception {
        Session s = session();
        ChannelSftp sftp = (ChannelSftp) s.openChannel("sftp");
        sftp.connect((int) target.connectTimeout().toMillis());
        try {
            return work.run(sftp);
        } catch (com.jcraft.jsch.SftpException e) {
            String why = switch (e.id) {
                case ChannelSftp.SSH_FX_NO_SUCH_FILE -> "no such file or folder";
                case ChannelSftp.SSH_FX_PERMISSION_DENIED -> "permission denied";
                default -> e.getMessage();
            };
            throw new IOException(path + ": " + why, e);
        } finally {
            sftp.disconnect();
        }
    }

    /** SFTP starts in the home folder: "~/x" is "x" there. */
    static String sftpPath(String p) {
        if (p.equals("~")) {
            return ".";
        }
        return p.startsWith("~/") ? p.substring(2) : p;
    }

    // ------------------------------------------------------------------ forwards

    @Override
    public CompletableFuture<InetSocketAddress> forwardTcp(String host, int port) {
        Forward f = forwards.computeIfAbsent("tcp:" + host + ":" + port, k -> new Forward(k, host, port, null, null));
        return ensureForward(f);
    }

    @Override
    public CompletableFuture<InetSocketAddress> forwardUnixSocket(String socketPath, String fallbackCommand) {
        Forward f = forwards.computeIfAbsent("unix:" + socketPath,
                k -> new Forward(k, null, 0, socketPath, fallbackCommand));
        return ensureForward(f);
    }

    private CompletableFuture<InetSocketAddress> ensureForward(Forward f) {
        return BoundedExecutors.supply(executor, () -> {
            Session s = session();
            synchronized (f) {
                if (f.dialStdio == null && f.boundTo != s) {
                    bind(f, s);
                }
            }
            return new InetSocketAddress("127.0.0.1", f.localPort);
        });
    }

    /** Binds {@code f} on session {@code s}, at the same local port as before if it had one. */
    private void bind(Forward f, Session s) throws Exception {
        if (f.dialStdio != null) {
            return; // our own listener: it opens a channel on the current session per connection
        }
        int timeout = (int) target.connectTimeout().toMillis();
        if (f.socketPath == null) {
            f.localPort = s.setPortForwardingL("127.0.0.1", f.localPort, f.host, f.port, null, timeout);
        } else if (streamLocalAllowed(s, f.socketPath, timeout)) {
            f.localPort = s.setSocketForwardingL("127.0.0.1", f.localPort, f.socketPath, null, timeout);
        } else {
            DialStdioForwarder d = new DialStdioForwarder(f.localPort, f.fallbackCommand, this::sessionOrNull, pumps,
                    timeout);
            f.localPort = d.port();
            f.dialStdio = d;
        }
        f.boundTo = s;
    }

    private Session sessionOrNull() {
        try {
            return session();
        } catch (Exception e) {
            return null;
        }
    }

    /** Opens one streamlocal channel to see whether the server allows them. */
    private static boolean streamLocalAllowed(Session s, String socketPath, int timeout) throws JSchException {
        ChannelDirectStreamLocal ch = (ChannelDirectStreamLocal) s.openChannel("direct-streamlocal@openssh.com");
        ch.setSocketPath(socketPath);
        try {
            ch.connect(timeout);
            return true;
        } catch (JSchException e) {
            return false;
        } finally {
            ch.disconnect();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Forward f : forwards.values()) {
            if (f.dialStdio != null) {
                f.dialStdio.close();
            }
        }
        synchronized (lock) {
            if (session != null) {
                session.disconnect();
            }
            if (jumpSession != null) {
                jumpSession.disconnect();
            }
        }
        executor.shutdownNow();
        pumps.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
