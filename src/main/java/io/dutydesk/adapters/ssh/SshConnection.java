package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.ChannelDirectTCPIP;
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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one SSH connection of an environment: exec with streamed output, SFTP, in-process channels
 * (HTTP, PostgreSQL, Redis: no TCP listener at all) and a local unix socket for the Docker
 * socket. Connects on first use; a failed attempt is shared by the calls of the next
 * {@link #RETRY_AFTER} (one attempt per poll round: the pollers space the rounds), so the first
 * poll after the server is back reconnects. Every call has a timeout.
 *
 * <p>Four pools: probes and forwards ({@code ssh-probe}), the in-process channels' opens
 * ({@code ssh-channel}: a burst of HTTP requests, or opens stuck on a service that does not accept,
 * never take the pings' threads), short calls ({@code ssh}) and calls allowed to run longer than
 * {@link #LONG_CALL} (follows, action runs: {@code ssh-long}), so long jobs never starve the pings.
 * An {@link #open} cancelled while it waits for a thread opens nothing; one cancelled while its
 * channel opens has the channel closed as soon as it is open ({@link #channelStats()} counts them). A host key the user refused (or a prompt cancelled) is
 * remembered: no new prompt until {@link #askAgain()}. Closing returns at once; pending prompts
 * are cancelled (their dialogs close) and the sockets close in the background.
 */
public final class SshConnection implements RemoteShell, Tunnels, BackendProbe, AutoCloseable {

    private static final Duration RETRY_AFTER = Duration.ofMillis(500);
    static final Duration LONG_CALL = Duration.ofSeconds(60);
    private static final Duration PROMPT_TIMEOUT = Duration.ofMinutes(10);

    private final Environment.Ssh target;
    private final SessionFactory sessions;
    private final ExecutorService probes;
    private final ExecutorService channels;
    private final ExecutorService executor;
    private final ExecutorService longJobs;
    private final ExecutorService pumps;
    private final Map<String, UnixSocketForward> unixForwards = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> pendingPrompts = ConcurrentHashMap.newKeySet();
    private final Set<ChannelDirectTCPIP> openChannels = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicLong channelsOpened = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong channelsSkipped = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong channelsClosedCancelled = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger channelsOpening = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger mostChannelsOpen = new java.util.concurrent.atomic.AtomicInteger();
    private final Object lock = new Object();
    private Session session;
    private List<Session> hops = List.of();
    private CompletableFuture<Session> connecting;
    /** The last failed attempt: its failure is the answer of the calls of the next {@link #RETRY_AFTER}. */
    private Exception lastFailure;
    /** When it failed, on {@link #nanos} (monotonic: a step of the wall clock neither holds reconnecting back nor hurries it). */
    private long failedAt;
    private final java.util.function.LongSupplier nanos;
    private volatile HostKeyException refused;
    private volatile Path socketFolder;
    private volatile boolean closed;
    /** A connection attempt has ended (connected, or failed): see {@link #connecting()}. */
    private volatile boolean attemptEnded;

    public SshConnection(Environment.Ssh target, HostKeyPrompt hostKeys) {
        this(target, hostKeys, Path.of(System.getProperty("user.home"), ".ssh", "config"));
    }

    /** With another OpenSSH client configuration than ~/.ssh/config. */
    public SshConnection(Environment.Ssh target, HostKeyPrompt hostKeys, Path sshConfig) {
        this(target, hostKeys, sshConfig, System::nanoTime);
    }

    /** With the monotonic clock the retry window is timed on ({@link System#nanoTime} but in tests). */
    SshConnection(Environment.Ssh target, HostKeyPrompt hostKeys, Path sshConfig, java.util.function.LongSupplier nanos) {
        this.target = target;
        this.nanos = nanos;
        this.sessions = new SessionFactory(trackPrompts(hostKeys), PROMPT_TIMEOUT, sshConfig);
        this.probes = BoundedExecutors.create("ssh-probe", 4, 64);
        this.channels = BoundedExecutors.create("ssh-channel", 4, 64);
        this.executor = BoundedExecutors.create("ssh", 4, 64);
        this.longJobs = BoundedExecutors.create("ssh-long", 8, 32);
        this.pumps = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dutydesk-ssh-pump");
            t.setDaemon(true);
            return t;
        });
    }

    /** Each pending host-key question is kept, to be cancelled (its dialog closed) when this connection closes. */
    private HostKeyPrompt trackPrompts(HostKeyPrompt p) {
        return key -> {
            if (closed) {
                return CompletableFuture.completedFuture(false);
            }
            CompletableFuture<Boolean> answer = p.trust(key);
            pendingPrompts.add(answer);
            answer.whenComplete((v, e) -> pendingPrompts.remove(answer));
            if (closed) {
                answer.cancel(true);
            }
            return answer;
        };
    }

    @Override
    public Backend backend() {
        return Backend.SSH;
    }

    /**
     * One round trip over the (re)connected session, on the probes' own threads. The first ping of a connection
     * runs {@code true} (the server runs commands for this user); the later ones are one SFTP round trip on a
     * channel kept for the pings, so an idle console starts no session on the server per poll. A server without
     * SFTP is pinged with {@code true} every time.
     */
    @Override
    public CompletableFuture<Void> ping() {
        return BoundedExecutors.<Void>supply(probes, () -> {
            Session s = session();
            if (s == execProven && pingBySftp(s)) {
                return null;
            }
            ExecResult r = runExec("true", null, null, PING_TIMEOUT, OutputListener.NONE);
            if (r.exitCode() != 0) {
                throw new IllegalStateException("'true' exited " + r.exitCode() + " on the server");
            }
            execProven = s;
            return null;
        }).orTimeout(PING_TIMEOUT.toMillis() + target.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> {
                    if (e != null && io.dutydesk.core.Errors.unwrap(e) instanceof TimeoutException) {
                        ChannelSftp ch = pingSftp; // a stalled round trip holds the lock: its channel is closed under it
                        if (ch != null) {
                            ch.disconnect();
                        }
                    }
                });
    }

    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

    /** The session whose {@code true} ran: its later pings may be SFTP round trips. */
    private volatile Session execProven;
    private final Object pingLock = new Object();
    private volatile ChannelSftp pingSftp;
    private Session pingSftpSession;
    /** The session whose server refused an SFTP channel: pinged by exec. */
    private volatile Session noSftp;

    /**
     * An SFTP round trip ({@code realpath .}) on the pings' own kept channel (a listing on the shared one never
     * delays a ping); false if the server gives no SFTP channel. A failed round trip fails the ping.
     */
    private boolean pingBySftp(Session s) throws Exception {
        if (s == noSftp) {
            return false;
        }
        synchronized (pingLock) {
            ChannelSftp ch = pingSftp;
            if (ch == null || pingSftpSession != s || ch.isClosed() || !ch.isConnected()) {
                if (ch != null) {
                    ch.disconnect();
                }
                pingSftp = null;
                ch = (ChannelSftp) s.openChannel("sftp");
                try {
                    ch.connect((int) target.connectTimeout().toMillis());
                } catch (JSchException e) {
                    ch.disconnect();
                    if (!s.isConnected()) {
                        throw e;
                    }
                    noSftp = s;
                    return false;
                }
                sftpChannelsOpened.incrementAndGet();
                pingSftp = ch;
                pingSftpSession = s;
            }
            try {
                ch.realpath(".");
                return true;
            } catch (Exception e) {
                ch.disconnect();
                pingSftp = null;
                throw new IOException("no SFTP answer from " + target.display() + ": " + e.getMessage(), e);
            }
        }
    }

    /** How the unix socket forward for {@code socketPath} works now: "streamlocal", "dial-stdio" or "none". */
    public String unixForwardMode(String socketPath) {
        UnixSocketForward f = unixForwards.get(socketPath);
        if (f == null) {
            return "none";
        }
        synchronized (lock) {
            return f.mode(session != null && session.isConnected() ? session : null);
        }
    }

    /**
     * True until the first connection attempt has ended (connected or failed): a call that ran out of time meanwhile
     * spent it waiting for the connection, not for its backend.
     */
    public boolean connecting() {
        return !attemptEnded && !closed;
    }

    public boolean isConnected() {
        synchronized (lock) {
            return session != null && session.isConnected();
        }
    }

    /** Forgets a refused host key: the next connection asks again (the user's "connect" / "ask again"). */
    public void askAgain() {
        refused = null;
        synchronized (lock) {
            lastFailure = null;
        }
    }

    /** Drops the connection as a network cut would (for tests and the "reconnect" action). */
    public void disconnect() {
        synchronized (lock) {
            if (session != null) {
                session.disconnect();
            }
            for (Session h : hops) {
                h.disconnect();
            }
        }
    }

    // ------------------------------------------------------------------ session

    /** {@inheritDoc} On the probes' threads; the attempt is the one a command then waits for ({@link #session}). */
    @Override
    public void connectAhead() {
        startConnecting();
    }

    /**
     * {@link #connectAhead}, saying how it ended: completes with true once connected, false when the attempt failed or
     * could not start (closed, the probes' queue full); never exceptionally.
     */
    public CompletableFuture<Boolean> startConnecting() {
        CompletableFuture<Boolean> connected = new CompletableFuture<>();
        try {
            probes.execute(() -> {
                try {
                    session();
                    connected.complete(true);
                } catch (Exception e) {
                    connected.complete(false); // the first command meets the same failure, or tries again after the back-off
                } catch (Error e) {
                    connected.complete(false);
                    throw e;
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException busy) {
            connected.complete(false); // closed or saturated: the first command connects
        }
        return connected;
    }

    /**
     * The connected session, connecting (or reconnecting) if needed; call on an executor. One
     * caller connects; the others wait for that attempt (up to the connect timeout, or the prompt).
     */
    Session session() throws Exception {
        CompletableFuture<Session> attempt;
        boolean mine = false;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("connection closed");
            }
            if (refused != null) {
                throw refused;
            }
            if (session != null && session.isConnected()) {
                return session;
            }
            if (connecting == null) {
                if (lastFailure != null && nanos.getAsLong() - failedAt < RETRY_AFTER.toNanos()) {
                    throw lastFailure;
                }
                connecting = new CompletableFuture<>();
                mine = true;
            }
            attempt = connecting;
        }
        if (!mine) {
            long wait = target.connectTimeout().toMillis() + 1000;
            try {
                return attempt.get(wait, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            } catch (TimeoutException e) {
                throw new TimeoutException("still connecting to " + target.display()
                        + (pendingPrompts.isEmpty() ? "" : " (a host key question waits for an answer)"));
            }
        }
        try {
            SessionFactory.Opened o = sessions.open(target);
            synchronized (lock) {
                for (Session h : hops) {
                    h.disconnect();
                }
                if (closed) {
                    o.disconnect();
                    throw new IllegalStateException("connection closed");
                }
                session = o.session();
                hops = o.hops();
                lastFailure = null;
                connecting = null;
                attemptEnded = true;
            }
            attempt.complete(o.session());
            return o.session();
        } catch (Error e) {
            synchronized (lock) {
                connecting = null; // never leave the others waiting on an attempt that died
                attemptEnded = true;
            }
            attempt.completeExceptionally(e);
            throw e;
        } catch (Exception e) {
            synchronized (lock) {
                if (e instanceof HostKeyException hk && !hk.changed()) {
                    refused = hk; // the user said no (or did not answer): not asked again until askAgain()
                }
                failedAt = nanos.getAsLong();
                lastFailure = e;
                connecting = null;
                attemptEnded = true;
            }
            attempt.completeExceptionally(e);
            throw e;
        }
    }

    // ------------------------------------------------------------------ exec

    @Override
    public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener) {
        return exec(command, null, timeout, listener);
    }

    @Override
    public CompletableFuture<ExecResult> exec(String command, byte[] stdin, Duration timeout, OutputListener listener) {
        ExecutorService pool = timeout.compareTo(LONG_CALL) > 0 ? longJobs : executor;
        return BoundedExecutors.supply(pool, () -> runExec(command, stdin, null, timeout, listener));
    }

    @Override
    public CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener listener, Answerer answerer) {
        ExecutorService pool = timeout.compareTo(LONG_CALL) > 0 ? longJobs : executor;
        return BoundedExecutors.supply(pool, () -> runExec(command, null, java.util.Objects.requireNonNull(answerer), timeout, listener));
    }

    private ExecResult runExec(String command, byte[] stdin, Answerer answerer, Duration timeout, OutputListener listener) throws Exception {
        long t0 = System.nanoTime();
        Session s = session(); // connecting has its own timeout: the command's starts once connected
        long deadline = System.nanoTime() + timeout.toNanos();
        ChannelExec ch = (ChannelExec) s.openChannel("exec");
        ch.setCommand(command);
        // input (a secret for the job's environment) is sent over the channel, then end of input; never on the command line
        ch.setInputStream(stdin == null ? null : new java.io.ByteArrayInputStream(stdin));
        // an answered exec: its input open until the answerer answers a line of its output (then that line, end of input)
        OutputStream in = answerer == null ? null : ch.getOutputStream();
        OutputListener heard = in == null ? listener : new Answering(in, answerer, listener);
        InputStream out = ch.getInputStream();
        InputStream err = ch.getExtInputStream();
        LineCollector so = new LineCollector(false, heard);
        LineCollector se = new LineCollector(true, heard);
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
            if (heard instanceof Answering a) {
                a.end(); // never answered (the exec ended or failed first): end of input, the script's read sees it
            }
            ch.disconnect();
        }
        so.finish();
        se.finish();
        return new ExecResult(ch.getExitStatus(), so.text(), se.text(), Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Passes an answered exec's lines on, and sends its answerer's one answer (then end of input). */
    private static final class Answering implements OutputListener {
        private final OutputStream in;
        private final Answerer answerer;
        private final OutputListener next;
        private boolean done;

        Answering(OutputStream in, Answerer answerer, OutputListener next) {
            this.in = in;
            this.answerer = answerer;
            this.next = next;
        }

        @Override
        public void line(boolean stderr, String line) {
            next.line(stderr, line);
            if (stderr || done) {
                return;
            }
            Optional<String> a;
            try {
                a = answerer.answer(line);
            } catch (RuntimeException e) {
                end();
                throw e;
            }
            if (a.isPresent()) {
                try {
                    in.write((a.get() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    in.flush();
                } catch (IOException e) {
                    // the channel is gone: the script reads end of input and runs nothing; the exec's end says the rest
                } finally {
                    end();
                }
            }
        }

        void end() {
            if (!done) {
                done = true;
                try {
                    in.close();
                } catch (IOException e) {
                    // the channel is gone already: its input ended with it
                }
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    // ------------------------------------------------------------------ sftp

    @Override
    public CompletableFuture<byte[]> readFile(String path, long maxBytes) {
        return sftpCall(smallReads, path, sftp -> {
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
        return sftpCall(listings, folder, sftp -> {
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

    /**
     * An SFTP operation on the executor, failed after the command timeout even if the server stalls. A timeout
     * drops the channel only if this call was using it (a call still waiting for the lane is not the stalled one,
     * and the channel another call uses is left alone); a call whose caller gave up while it waited is not run.
     */
    private <T> CompletableFuture<T> sftpCall(SftpLane lane, String path, SftpWork<T> work) {
        long ms = target.commandTimeout().toMillis();
        java.util.concurrent.atomic.AtomicReference<ChannelSftp> using = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<T> result = new CompletableFuture<>();
        BoundedExecutors.supply(executor, () -> withSharedSftp(lane, work, path, using, result)).whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(io.dutydesk.core.Errors.unwrap(e));
            } else {
                result.complete(v);
            }
        });
        return result.orTimeout(ms, TimeUnit.MILLISECONDS)
                .exceptionallyCompose(e -> {
                    Throwable t = io.dutydesk.core.Errors.unwrap(e);
                    if (t instanceof TimeoutException) {
                        lane.drop(using.get()); // the stalled call fails now; the lane's next call opens a new channel
                    }
                    return CompletableFuture.failedFuture(t instanceof TimeoutException
                            ? new TimeoutException("SFTP " + path + ": no answer within " + ms + " ms") : t);
                });
    }

    /**
     * One kept SFTP channel and the lock that gives it to one call at a time (a channel serves one request at a
     * time). Two lanes, so a small read (the live-slot file, the maintenance lock) never waits behind a listing of
     * a slow backup folder.
     */
    private static final class SftpLane {
        final Object lock = new Object();
        volatile ChannelSftp channel;
        Session session;

        /** Closes {@code ch} and forgets it if it is still the lane's channel, without waiting for the lane's lock. */
        void drop(ChannelSftp ch) {
            if (ch == null) {
                return;
            }
            synchronized (this) {
                if (channel == ch) {
                    channel = null;
                }
            }
            ch.disconnect();
        }
    }

    private final SftpLane smallReads = new SftpLane();
    private final SftpLane listings = new SftpLane();
    private final java.util.concurrent.atomic.AtomicLong sftpChannelsOpened = new java.util.concurrent.atomic.AtomicLong();

    /** SFTP channels opened so far (one per lane and connection; downloads their own). */
    public long sftpChannelsOpened() {
        return sftpChannelsOpened.get();
    }

    /**
     * Runs {@code work} on the lane's kept SFTP channel, one call at a time: opened on first use and again after a
     * reconnect or a failure other than the server's answer. The session is had before the lane's lock (a reconnect
     * or a host-key question never holds the lane).
     */
    private <T> T withSharedSftp(SftpLane lane, SftpWork<T> work, String path,
                                 java.util.concurrent.atomic.AtomicReference<ChannelSftp> using, CompletableFuture<T> caller) throws Exception {
        Session s = session();
        synchronized (lane.lock) {
            if (caller.isDone()) {
                throw new java.util.concurrent.CancellationException("SFTP " + path + ": given up before it ran");
            }
            ChannelSftp ch = lane.channel;
            if (ch == null || lane.session != s || ch.isClosed() || !ch.isConnected()) {
                lane.drop(ch);
                ch = (ChannelSftp) s.openChannel("sftp");
                ch.connect((int) target.connectTimeout().toMillis());
                sftpChannelsOpened.incrementAndGet();
                synchronized (lane) {
                    lane.channel = ch;
                }
                lane.session = s;
            }
            using.set(ch);
            try {
                return work.run(ch);
            } catch (com.jcraft.jsch.SftpException e) {
                if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE && e.id != ChannelSftp.SSH_FX_PERMISSION_DENIED) {
                    lane.drop(ch); // maybe the channel's own failure (JSch says IO errors as SSH_FX_FAILURE)
                }
                throw sftpError(e, path); // the server answered about the path: the channel stays
            } catch (Exception | Error e) {
                lane.drop(ch); // a broken or interrupted channel is never reused
                throw e;
            } finally {
                using.set(null);
            }
        }
    }

    private interface SftpWork<T> {
        T run(ChannelSftp sftp) throws Exception;
    }

    private <T> T withSftp(SftpWork<T> work, String path) throws Exception {
        Session s = session();
        ChannelSftp sftp = (ChannelSftp) s.openChannel("sftp");
        sftp.connect((int) target.connectTimeout().toMillis());
        sftpChannelsOpened.incrementAndGet();
        try {
            return work.run(sftp);
        } catch (com.jcraft.jsch.SftpException e) {
            throw sftpError(e, path);
        } finally {
            sftp.disconnect();
        }
    }

    /**
     * The server answered: a path that is not there or not ours is said as such (the caller may call it a
     * configuration matter), with the same words as before ("PATH: no such file or folder").
     */
    private static IOException sftpError(com.jcraft.jsch.SftpException e, String path) {
        IOException x = switch (e.id) {
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> new java.nio.file.NoSuchFileException(path, null, "no such file or folder");
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> new java.nio.file.AccessDeniedException(path, null, "permission denied");
            default -> new IOException(path + ": " + e.getMessage());
        };
        x.initCause(e);
        return x;
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
    public CompletableFuture<Path> forwardUnixSocket(String socketPath, String fallbackCommand) {
        return BoundedExecutors.supply(probes, () -> {
            session(); // fail as the connection fails, not later as a closed socket
            UnixSocketForward f;
            synchronized (unixForwards) {
                if (closed) {
                    throw new IllegalStateException("connection closed");
                }
                f = unixForwards.get(socketPath);
                if (f == null) {
                    Path local = socketFolder().resolve("u" + unixForwards.size() + ".sock");
                    f = new UnixSocketForward(local, socketPath, fallbackCommand, this::session, pumps,
                            (int) target.connectTimeout().toMillis());
                    unixForwards.put(socketPath, f);
                }
            }
            return f.localPath();
        });
    }

    @Override
    public Optional<String> unixSocketFailure(String socketPath) {
        UnixSocketForward f = unixForwards.get(socketPath);
        return f == null ? Optional.empty() : Optional.ofNullable(f.failure());
    }

    /**
     * This connection's folder for local sockets: created 0700 (atomically) under
     * $XDG_RUNTIME_DIR, else the temporary folder; removed on close.
     */
    private Path socketFolder() throws IOException {
        if (socketFolder == null) {
            String runtime = System.getenv("XDG_RUNTIME_DIR");
            Path base = runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))
                    && Files.isWritable(Path.of(runtime)) ? Path.of(runtime) : Path.of(System.getProperty("java.io.tmpdir"));
            socketFolder = Files.createTempDirectory(base, "dutydesk-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return socketFolder;
    }

    /** The folder holding this connection's local sockets (mode 0700), if one was made. */
    public Optional<Path> socketFolderIfAny() {
        return Optional.ofNullable(socketFolder);
    }

    /**
     * The in-process channels of this connection ({@link #open}), for tests and the load benchmark:
     * {@code opened} in all, {@code open} now (opening or not yet closed), the {@code most} open at once,
     * {@code opening} now, {@code skipped} (cancelled while waiting for a thread: never opened) and
     * {@code closedCancelled} (cancelled while opening: closed as soon as open).
     */
    public record ChannelStats(long opened, int open, int most, int opening, long skipped, long closedCancelled) {}

    public ChannelStats channelStats() {
        return new ChannelStats(channelsOpened.get(), openChannels.size(), mostChannelsOpen.get(), channelsOpening.get(),
                channelsSkipped.get(), channelsClosedCancelled.get());
    }

    /**
     * A direct-tcpip channel, opened on the channels' own pool (never the probes'). Cancelling the
     * returned future before the channel is open is safe: still waiting for a thread, nothing is
     * opened; already opening, the channel is closed as soon as it is open — never left open.
     */
    @Override
    public CompletableFuture<Stream> open(String host, int port) {
        CompletableFuture<Stream> result = new CompletableFuture<>();
        try {
            channels.execute(() -> {
                if (result.isDone()) {
                    channelsSkipped.incrementAndGet(); // cancelled (or timed out) while queued: nothing to open
                    return;
                }
                channelsOpening.incrementAndGet();
                Stream s;
                try {
                    s = openChannel(host, port);
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                    return;
                } finally {
                    channelsOpening.decrementAndGet();
                }
                if (!result.complete(s)) {
                    channelsClosedCancelled.incrementAndGet();
                    s.close(); // cancelled while it opened: nobody will ever read it
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new java.util.concurrent.RejectedExecutionException(
                    "too many SSH channels waiting to open (" + e.getMessage() + ")", e));
        }
        return result;
    }

    private Stream openChannel(String host, int port) throws Exception {
        Session s = session();
        ChannelDirectTCPIP ch = (ChannelDirectTCPIP) s.openChannel("direct-tcpip");
        ch.setHost(host);
        ch.setPort(port);
        InputStream in = ch.getInputStream();
        openChannels.add(ch);
        mostChannelsOpen.accumulateAndGet(openChannels.size(), Math::max);
        try {
            ch.connect((int) target.connectTimeout().toMillis());
        } catch (JSchException e) {
            ch.disconnect();
            openChannels.remove(ch);
            throw new IOException("the server could not connect to it (SSH channel refused: is it running?)", e);
        } catch (RuntimeException | Error e) {
            ch.disconnect();
            openChannels.remove(ch);
            throw e;
        }
        channelsOpened.incrementAndGet();
        OutputStream out = ch.getOutputStream();
        return new Stream() {
            @Override
            public InputStream input() {
                return in;
            }

            @Override
            public OutputStream output() {
                return out;
            }

            @Override
            public void close() {
                ch.disconnect();
                openChannels.remove(ch);
            }
        };
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (CompletableFuture<?> p : pendingPrompts) {
            p.cancel(true); // the dialog closes; the key is not remembered as refused
        }
        Thread t = new Thread(this::teardown, "dutydesk-ssh-close");
        t.setDaemon(true);
        t.start();
    }

    /** The slow part of closing, off the caller's thread: a new environment's polls never wait for it. */
    private void teardown() {
        for (UnixSocketForward f : unixForwards.values()) {
            f.close();
        }
        Session s;
        List<Session> j;
        synchronized (lock) {
            s = session;
            j = hops;
        }
        if (s != null) {
            s.disconnect();
        }
        for (Session h : j) {
            h.disconnect();
        }
        probes.shutdownNow();
        channels.shutdownNow();
        executor.shutdownNow();
        longJobs.shutdownNow();
        pumps.shutdownNow();
        Path folder = socketFolder;
        if (folder != null) {
            try (var list = Files.list(folder)) {
                for (Path p : list.toList()) {
                    Files.deleteIfExists(p);
                }
                Files.deleteIfExists(folder);
            } catch (IOException ignored) {
                // a temporary folder
            }
        }
    }
}
