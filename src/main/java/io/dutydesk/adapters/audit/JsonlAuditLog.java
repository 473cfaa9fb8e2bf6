package io.dutydesk.adapters.audit;

import io.dutydesk.adapters.support.BoundedExecutors;
import io.dutydesk.adapters.support.PrivateFiles;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit log: one JSON object per line, appended and fsync'ed before the action is reported
 * done. Default file: $XDG_STATE_HOME/dutydesk/audit.jsonl (~/.local/state/dutydesk/audit.jsonl).
 * Entries hold no secret: arguments, times, exit codes and a digest of the output. Every file is
 * created 0600 and its folders 0700. Append-only: an action's completion is a second entry with
 * its id ({@link io.dutydesk.core.audit.AuditRows} folds them into one row).
 *
 * <p><b>Rotation</b>: when an append would take the file past {@code rotateBytes} (4 MiB, about
 * 10,000 entries, by default), the file is renamed {@code audit.jsonl.000001} (then {@code .000002}…;
 * nothing is ever deleted) and a new one begun. Readers ({@link #recent}, the Audit tab, {@code
 * dutydesk audit}) read across the files, oldest first, newest last. What the rotated files leave open is kept beside
 * them ({@code audit.jsonl.open}, rebuilt one at a time under {@code audit.jsonl.open.lock}, {@link AwaitingEnd}): the open
 * entries' read finds an action however old, reading the rotated files once.
 *
 * <p><b>Torn lines</b>: a crash (power cut) in the middle of an append leaves a last line without its
 * newline. The next append moves that fragment, byte for byte, to {@code audit.jsonl.torn} and cuts the
 * log back to its last whole line before writing, so the new entry is never glued to it; readers skip a
 * line that is not an entry, read an entry glued after a fragment (a log written before this repair
 * existed), and report both ({@link #damaged()}).
 *
 * <p><b>Threads and index</b>: appends have their own thread (an action's {@code started} entry never
 * waits behind a read); reads another. {@link #indexed()} keeps the newest {@link AuditLog#INDEXED}
 * entries in memory: read once, then only the bytes appended since — by this process after each
 * append, by others when the folder's watch (inotify) reports a change. Appends by several processes
 * (the window and the CLI) are serialised by a lock file ({@code audit.jsonl.lock}).
 */
public final class JsonlAuditLog implements AuditLog, AutoCloseable {
    public static final long DEFAULT_ROTATE_BYTES = 4L << 20;
    /** Looked up when a repair is logged, not when the class loads: the JDK's first System.Logger starts its service
     *  look-up and java.util.logging (~20-40 ms of every cold CLI verb, on the thread that writes the audit entry). */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(JsonlAuditLog.class.getName());
    }
    /** One writer per file in this JVM at a time (a FileLock is held per JVM, not per thread). */
    private static final ConcurrentHashMap<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();
    static final int MAX_DAMAGED = 100;

    private final Path file;
    private final long rotateBytes;
    private final Pattern rotatedName;
    private final AwaitingEnd awaiting;
    private final ExecutorService writes = BoundedExecutors.create("audit", 1, 256);
    private final ExecutorService reads = BoundedExecutors.create("audit-read", 1, 64);
    private final AtomicLong fullReads = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final List<String> damagedLines = new CopyOnWriteArrayList<>();
    private final AtomicLong damagedUnlisted = new AtomicLong(); // found beyond MAX_DAMAGED: counted, said as "and N more"
    private final List<String> repairs = new CopyOnWriteArrayList<>();
    private final AtomicLong repairsUnlisted = new AtomicLong();

    // the index (guarded by indexLock; its IO runs on the read thread)
    private final Object indexLock = new Object();
    private final ArrayDeque<AuditEntry> index = new ArrayDeque<>();
    private volatile List<AuditEntry> indexed; // null until loaded
    private boolean indexInUse;  // indexed() was called: appends and the watch keep it up to date
    private Object indexKey;     // the file key of the file indexOffset is in
    private long indexOffset;    // just after the last whole line read of that file
    private long indexLines;     // whole lines read of that file
    private long indexSize = -1; // its size when last read (to see a change without a watch)
    private boolean indexDirty;  // an append was reported and not yet taken in
    private boolean indexRunning; // a load or catch-up is reading
    private CompletableFuture<List<AuditEntry>> indexQueued; // one submitted, not yet started
    /**
     * The index while nothing is known to be left to take in and the folder is watched (else null): what {@link #indexed()}
     * answers on the caller's thread without a lock or a look at the file — the caller may be the FX thread (the chart's
     * markers), and the index's lock is held by the read thread and the watch.
     */
    private volatile List<AuditEntry> fresh;

    // the watch: one per log, for the index and the viewers; started on the read thread (folder, inotify), once
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile WatchService watchService; // written on the read thread only
    private boolean watchTried; // a start was tried (read thread only)
    private volatile boolean watching;
    private volatile boolean closed;

    public JsonlAuditLog(Path file) {
        this(file, DEFAULT_ROTATE_BYTES);
    }

    /** {@code rotateBytes}: the size past which the file is rotated before an append. */
    public JsonlAuditLog(Path file, long rotateBytes) {
        this.file = file.toAbsolutePath().normalize();
        this.rotateBytes = rotateBytes;
        this.rotatedName = Pattern.compile(Pattern.quote(this.file.getFileName().toString()) + "\\.(\\d+)");
        this.awaiting = new AwaitingEnd(this.file, new AwaitingEnd.Log() {
            @Override
            public List<Path> rotated() throws IOException {
                return rotatedFiles();
            }

            @Override
            public List<AuditEntry> entries(Path p, boolean standIns) throws IOException {
                return JsonlAuditLog.this.entries(p, standIns);
            }
        });
    }

    public static Path defaultFile(Function<String, String> env) {
        String explicit = env.apply("DUTYDESK_AUDIT_LOG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String state = env.apply("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("dutydesk").resolve("audit.jsonl");
    }

    public Path file() {
        return file;
    }

    @Override
    public String location() {
        return file.toString();
    }

    /** Where torn fragments are kept: {@code audit.jsonl.torn}. */
    public Path tornFile() {
        return file.resolveSibling(file.getFileName() + ".torn");
    }

    /** The rotated files, oldest first (not the current file). */
    public List<Path> rotatedFiles() throws IOException {
        List<long[]> found = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                Matcher m = rotatedName.matcher(p.getFileName().toString());
                if (m.matches() && m.group(1).length() <= 18) {
                    found.add(new long[] {Long.parseLong(m.group(1)), paths.size()});
                    paths.add(p);
                }
            }
        }
        found.sort((a, b) -> Long.compare(a[0], b[0]));
        List<Path> out = new ArrayList<>(found.size());
        for (long[] f : found) {
            out.add(paths.get((int) f[1]));
        }
        return out;
    }

    /** Whole-file reads so far (each {@link #recent} and {@link #awaitingEnd} call, the index's first load): tests and the benchmark. */
    public long fullReads() {
        return fullReads.get();
    }

    /** Bytes read so far, by every read. */
    public long bytesRead() {
        return bytesRead.get();
    }

    // ------------------------------------------------------------------ append

    @Override
    public CompletableFuture<Void> append(AuditEntry entry) {
        io.dutydesk.core.telemetry.Telemetry.audited(entry); // an action's end: its duration and outcome measured
        return write(entry, false).thenApply(v -> null);
    }

    /** Under the writers' lock (this JVM's and the file's): the open entries read as {@link #awaitingEnd} reads them, and the end appended only if awaited. */
    @Override
    public CompletableFuture<Boolean> appendIfAwaited(AuditEntry end) {
        return write(end, true);
    }

    private CompletableFuture<Boolean> write(AuditEntry entry, boolean ifAwaited) {
        return BoundedExecutors.supply(writes, () -> {
            byte[] line = (AuditJson.write(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            PrivateFiles.createDirectories(file.getParent()); // 0700 folders; the file itself only under the lock:
            ReentrantLock jvm = WRITERS.computeIfAbsent(file, k -> new ReentrantLock());
            PrivateFiles.ensureFile(lockPath());
            jvm.lock();
            try (FileChannel lockFile = FileChannel.open(lockPath(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                PrivateFiles.ensureFile(file); // 0600 (a writer may have rotated it away since the last append)
                if (ifAwaited && !io.dutydesk.core.audit.AuditRows.awaited(awaiting.read(), entry.actionId())) {
                    return false; // another console completed it first (or it was never open): the open entries' own rule
                }
                long size = Files.size(file);
                if (size > 0) {
                    size = repairTornTail(size);
                }
                if (size > 0 && size + line.length > rotateBytes) {
                    rotate();
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE)) {
                    ByteBuffer b = ByteBuffer.wrap(line);
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    ch.force(true);
                }
            } finally {
                jvm.unlock();
            }
            indexChanged(); // the index reads the new line on its own thread: this append is done
            return true;
        });
    }

    private Path lockPath() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    /**
     * If the log does not end with a newline, its last line was torn (a crash mid-append): the
     * fragment is appended to the .torn file (fsync) and the log cut back to its last whole line.
     * Returns the size after.
     */
    private long repairTornTail(long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            if (last.get(0) == '\n') {
                return size;
            }
            long start = lastNewline(ch, size) + 1; // 0 if the file has no whole line at all
            ByteBuffer fragment = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16, size - start));
            while (fragment.hasRemaining() && ch.read(fragment, start + fragment.position()) > 0) {
                // read the whole fragment
            }
            fragment.flip();
            Path torn = tornFile();
            PrivateFiles.ensureFile(torn);
            try (FileChannel t = FileChannel.open(torn, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(fragment.remaining() + 1).put(fragment).put((byte) '\n');
                b.flip();
                while (b.hasRemaining()) {
                    t.write(b);
                }
                t.force(true); // kept aside durably before the log is cut
            }
            ch.truncate(start);
            ch.force(true);
            String what = file.getFileName() + ": a line torn by a crash (" + (size - start) + " bytes at offset " + start
                    + ") was moved to " + torn.getFileName() + " before the next entry";
            Log.LOG.log(System.Logger.Level.WARNING, what);
            note(repairs, repairsUnlisted, what);
            return start;
        }
    }

    /** The offset of the last '\n' before {@code size}, or -1. */
    private static long lastNewline(FileChannel ch, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long end = size;
        while (end > 0) {
            long from = Math.max(0, end - buf.capacity());
            buf.clear().limit((int) (end - from));
            while (buf.hasRemaining() && ch.read(buf, from + buf.position()) > 0) {
                // fill
            }
            for (int i = buf.position() - 1; i >= 0; i--) {
                if (buf.get(i) == '\n') {
                    return from + i;
                }
            }
            end = from;
        }
        return -1;
    }

    /** Renames the current file to the next number (under the writers' lock). */
    private void rotate() throws IOException {
        long next = 1;
        for (Path p : rotatedFiles()) {
            Matcher m = rotatedName.matcher(p.getFileName().toString());
            if (m.matches()) {
                next = Math.max(next, Long.parseLong(m.group(1)) + 1);
            }
        }
        Path to = file.resolveSibling(file.getFileName() + "." + String.format("%06d", next));
        Files.move(file, to, StandardCopyOption.ATOMIC_MOVE);
        PrivateFiles.ensureFile(file);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true); // the rename and the new file survive a power cut
        } catch (IOException | UnsupportedOperationException notOnThisFileSystem) {
            // best effort
        }
    }

    // ------------------------------------------------------------------ reads

    @Override
    public CompletableFuture<List<AuditEntry>> recent(int max) {
        return BoundedExecutors.supply(reads, () -> readRecent(max));
    }

    /** {@inheritDoc} Whether it watches is asked on the read thread, after a watch asked for before (started there) began. */
    @Override
    public CompletableFuture<List<AuditEntry>> recentUnlessWatched(int max) {
        return BoundedExecutors.supply(reads, () -> watching() ? null : readRecent(max));
    }

    private List<AuditEntry> readRecent(int max) throws IOException {
        fullReads.incrementAndGet();
        Tail t = readTail(max);
        synchronized (damagedLines) {
            damagedLines.clear();
            damagedUnlisted.set(0);
        }
        for (String d : t.damaged) {
            note(d);
        }
        return List.copyOf(t.entries);
    }

    /**
     * {@inheritDoc} Reads the current file, the summary of what the rotated files leave open and only the rotated files it
     * does not cover yet ({@link AwaitingEnd}); parses only the lines of actions whose newest line may await its end
     * ({@link AuditLines}). Damaged lines are reported by {@link #recent}, not here.
     */
    @Override
    public CompletableFuture<List<AuditEntry>> awaitingEnd() {
        return BoundedExecutors.supply(reads, () -> {
            fullReads.incrementAndGet();
            return List.copyOf(awaiting.read());
        });
    }

    /** One file's entries for {@link AwaitingEnd}: its whole lines, stand-ins for lines of the writer's shape if {@code standIns}. */
    private List<AuditEntry> entries(Path p, boolean standIns) throws IOException {
        byte[] bytes = Files.readAllBytes(p);
        bytesRead.addAndGet(bytes.length);
        return parse(bytes, p, 0, new ArrayList<>(), standIns).entries();
    }

    /** The summary of what the rotated files leave open ({@link AwaitingEnd}): {@code audit.jsonl.open}. */
    Path openSummaryFile() {
        return awaiting.summaryFile();
    }

    /** {@inheritDoc} At most {@value #MAX_DAMAGED} lines are listed; the rest are counted ("and N more damaged lines …"). */
    @Override
    public List<String> damaged() {
        List<String> out = new ArrayList<>();
        synchronized (repairs) {
            out.addAll(repairs);
            more(out, repairsUnlisted.get(), "repaired torn line");
        }
        synchronized (damagedLines) {
            out.addAll(damagedLines);
            more(out, damagedUnlisted.get(), "damaged line");
        }
        return List.copyOf(out);
    }

    private static void more(List<String> out, long more, String what) {
        if (more > 0) {
            out.add("and " + more + " more " + what + (more == 1 ? "" : "s") + " (not listed; the first " + MAX_DAMAGED + " are)");
        }
    }

    private void note(String s) {
        note(damagedLines, damagedUnlisted, s);
    }

    /** Adds {@code s} to {@code list} while it has fewer than {@link #MAX_DAMAGED}; else counts it in {@code unlisted}. */
    private static void note(List<String> list, AtomicLong unlisted, String s) {
        synchronized (list) {
            if (list.size() < MAX_DAMAGED) {
                list.add(s);
            } else {
                unlisted.incrementAndGet();
            }
        }
    }

    /** What a read of the newest entries found, and where the current file's whole lines end. */
    private record Tail(List<AuditEntry> entries, List<String> damaged, Object currentKey, long currentOffset, long currentLines,
                        long currentSize) {}

    /** The newest {@code max} entries across the rotated files and the current one, newest last. */
    private Tail readTail(int max) throws IOException {
        while (true) {
            List<Path> rotated = rotatedFiles();
            List<AuditEntry> entries = new ArrayList<>();
            List<String> damaged = new ArrayList<>();
            Object key = null;
            long offset = 0;
            long lines = 0;
            long size = 0;
            Opened cur = openVerified(file);
            if (cur != null) {
                try (FileChannel ch = cur.channel) {
                    byte[] bytes = readFrom(ch, 0);
                    Parsed p = parse(bytes, file, 0, damaged);
                    entries.addAll(p.entries);
                    key = cur.key;
                    offset = p.consumed;
                    lines = p.lines;
                    size = bytes.length;
                }
            }
            for (int i = rotated.size() - 1; i >= 0 && entries.size() < max; i--) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(rotated.get(i));
                } catch (NoSuchFileException gone) {
                    break; // renamed meanwhile: the check below starts again
                }
                bytesRead.addAndGet(bytes.length);
                List<String> d = new ArrayList<>();
                Parsed p = parse(bytes, rotated.get(i), 0, d);
                entries.addAll(0, p.entries);
                damaged.addAll(0, d);
            }
            if (rotated.equals(rotatedFiles())) { // no rotation while reading: one consistent view
                List<AuditEntry> last = entries.subList(Math.max(0, entries.size() - max), entries.size());
                return new Tail(new ArrayList<>(last), damaged, key, offset, lines, size);
            }
        }
    }

    /** A channel on {@code p} and the file key of the very file it reads (a rename cannot slip in between). */
    private record Opened(FileChannel channel, Object key) {}

    private static Opened openVerified(Path p) throws IOException {
        for (int i = 0; i < 100; i++) {
            BasicFileAttributes before;
            try {
                before = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                return null;
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(p, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                continue; // renamed between the two: look again
            }
            BasicFileAttributes after;
            try {
                after = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                ch.close();
                continue;
            }
            if (Objects.equals(before.fileKey(), after.fileKey())) {
                return new Opened(ch, after.fileKey());
            }
            ch.close();
        }
        throw new IOException(p + " keeps being replaced while it is read");
    }

    private byte[] readFrom(FileChannel ch, long from) throws IOException {
        long size = ch.size();
        if (size <= from) {
            return new byte[0];
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16, size - from));
        while (b.hasRemaining() && ch.read(b, from + b.position()) > 0) {
            // fill
        }
        bytesRead.addAndGet(b.position());
        return b.position() == b.capacity() ? b.array() : java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** Entries parsed from whole lines, the bytes and lines those take (an unfinished last line is left). */
    private record Parsed(List<AuditEntry> entries, long consumed, long lines) {}

    /**
     * The whole lines of {@code bytes} as entries ({@code firstLine}: the lines of the file before
     * them). A line that is not an entry is reported; if an entry follows a torn fragment on the same
     * line (glued by an append after a crash), the entry is read.
     */
    private Parsed parse(byte[] bytes, Path where, long firstLine, List<String> damaged) {
        return parse(bytes, where, firstLine, damaged, false);
    }

    private Parsed parse(byte[] bytes, Path where, long firstLine, List<String> damaged, boolean standIns) {
        List<AuditEntry> out = new ArrayList<>();
        int start = 0;
        long lineNo = firstLine;
        boolean plain = true; // the line so far has no backslash and no control character (AuditLines)
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != '\n') {
                plain &= !standIns || b < 0 || (b >= 0x20 && b != '\\');
                continue;
            }
            lineNo++;
            boolean linePlain = plain;
            plain = true;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            start = i + 1;
            if (line.isBlank()) {
                continue;
            }
            AuditEntry e = standIns ? AuditLines.standIn(line, linePlain) : null;
            if (e == null) {
                e = entry(line);
            }
            if (e != null) {
                out.add(e);
                continue;
            }
            // a fragment with an entry glued after it: read the entry, report the fragment
            boolean recovered = false;
            for (int at = line.indexOf('{', 1); at > 0; at = line.indexOf('{', at + 1)) {
                AuditEntry glued = entry(line.substring(at));
                if (glued != null) {
                    out.add(glued);
                    damaged.add(where.getFileName() + " line " + lineNo + ": a torn fragment (" + at
                            + " characters) before an entry; the entry was read, the fragment skipped: " + abbreviate(line.substring(0, at)));
                    recovered = true;
                    break;
                }
            }
            if (!recovered) {
                damaged.add(where.getFileName() + " line " + lineNo + ": not an entry (skipped): " + abbreviate(line));
            }
        }
        return new Parsed(out, start, lineNo - firstLine);
    }

    private AuditEntry entry(String line) {
        String s = line.strip();
        if (!s.startsWith("{") || !s.endsWith("}")) {
            return null;
        }
        try {
            return AuditJson.read(s);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    // ------------------------------------------------------------------ index

    /**
     * The newest entries from memory. The first call reads the log (once) and starts the watch;
     * afterwards a call reads nothing unless an append (this process's, or another's seen by the
     * watch) is still to be taken in — then only the appended bytes, on the read thread.
     *
     * <p>The caller's thread (the FX thread, for the chart's markers) never waits: a current index is answered without a
     * lock; anything else — the watch's start (the folder made, inotify registered), the look at the file's size of a log
     * that cannot watch, the wait for the index's lock, which the read thread and the watch hold — runs on the read
     * thread, and the answer completes there.
     */
    @Override
    public CompletableFuture<List<AuditEntry>> indexed() {
        List<AuditEntry> now = fresh;
        if (now != null) {
            return CompletableFuture.completedFuture(now);
        }
        return BoundedExecutors.supply(reads, this::indexedOnReadThread).thenCompose(f -> f);
    }

    /** {@link #indexed()} on the read thread: the watch started first (an append after it is reported), then the index read or caught up if needed. */
    private CompletableFuture<List<AuditEntry>> indexedOnReadThread() {
        synchronized (indexLock) {
            indexInUse = true; // from here on, appends and the watch keep it up to date
        }
        startWatch();
        boolean changed = !watching && changedOnDisk(); // a stat, outside the lock
        synchronized (indexLock) {
            if (indexed != null && !indexDirty && !indexRunning && indexQueued == null && (watching || !changed)) {
                return CompletableFuture.completedFuture(indexed);
            }
            return submitIndexRead();
        }
    }

    /** An append happened (here) or the watch saw one (anywhere): the index takes it in on the read thread. */
    private CompletableFuture<List<AuditEntry>> indexChanged() {
        synchronized (indexLock) {
            if (!indexInUse) {
                return null; // nobody uses the index yet: nothing to keep up to date
            }
            indexDirty = true;
            fresh = null;
            return submitIndexRead();
        }
    }

    /** A load (first) or catch-up, queued on the read thread; one queued at most (it reads all there is). */
    private CompletableFuture<List<AuditEntry>> submitIndexRead() {
        if (indexQueued != null) {
            return indexQueued;
        }
        CompletableFuture<List<AuditEntry>> f = new CompletableFuture<>();
        indexQueued = f;
        fresh = null;
        try {
            reads.execute(() -> {
                boolean load;
                synchronized (indexLock) {
                    if (indexQueued == f) {
                        indexQueued = null; // a change from now on queues another read
                    }
                    indexDirty = false;
                    indexRunning = true;
                    load = indexed == null;
                }
                try {
                    f.complete(load ? loadIndex() : catchUp());
                } catch (Throwable e) {
                    f.completeExceptionally(e);
                } finally {
                    synchronized (indexLock) {
                        indexRunning = false;
                        updateFresh();
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            indexQueued = null;
            f.completeExceptionally(e);
        }
        return f;
    }

    private List<AuditEntry> loadIndex() throws IOException {
        fullReads.incrementAndGet();
        Tail t = readTail(INDEXED);
        for (String d : t.damaged) {
            note(d);
        }
        synchronized (indexLock) {
            index.clear();
            index.addAll(t.entries);
            indexKey = t.currentKey;
            indexOffset = t.currentOffset;
            indexLines = t.currentLines;
            indexSize = t.currentSize;
            indexed = List.copyOf(index);
            return indexed;
        }
    }

    /** Reads only what was appended since the index last looked (following a rotation); on the read thread. */
    private List<AuditEntry> catchUp() throws IOException {
        Opened cur = openVerified(file);
        if (cur == null) {
            return indexed;
        }
        try (FileChannel ch = cur.channel) {
            Object key;
            long offset;
            long lines;
            synchronized (indexLock) {
                key = indexKey;
                offset = indexOffset;
                lines = indexLines;
            }
            List<AuditEntry> added = new ArrayList<>();
            List<String> damaged = new ArrayList<>();
            if (!Objects.equals(key, cur.key)) {
                // rotated since: the rest of the file it was reading (now a rotated one), every file rotated
                // after it, then the current one from its start
                List<Path> rotated = rotatedFiles();
                int at = -1;
                boolean curRotated = false;
                for (int i = rotated.size() - 1; i >= 0; i--) {
                    Object k = Files.readAttributes(rotated.get(i), BasicFileAttributes.class).fileKey();
                    if (at < 0 && Objects.equals(k, key)) {
                        at = i;
                    }
                    curRotated |= Objects.equals(k, cur.key);
                }
                if (at < 0 || key == null || curRotated) {
                    // lost track (the file replaced by hand), or rotated again since it was opened: read it again
                    return loadIndex();
                }
                for (int i = at; i < rotated.size(); i++) {
                    try (FileChannel o = FileChannel.open(rotated.get(i), StandardOpenOption.READ)) {
                        added.addAll(parse(readFrom(o, i == at ? offset : 0), rotated.get(i), i == at ? lines : 0, damaged).entries);
                    }
                }
                if (!rotated.equals(rotatedFiles())) {
                    return loadIndex(); // rotated again while it read: read it again
                }
                offset = 0;
                lines = 0;
            }
            long size = ch.size();
            if (size < offset) {
                return loadIndex(); // cut shorter than what was read: read it again
            }
            Parsed p = parse(readFrom(ch, offset), file, lines, damaged);
            added.addAll(p.entries);
            for (String d : damaged) {
                note(d);
            }
            synchronized (indexLock) {
                indexKey = cur.key;
                indexOffset = offset + p.consumed;
                indexLines = lines + p.lines;
                indexSize = size;
                if (!added.isEmpty()) {
                    index.addAll(added);
                    while (index.size() > INDEXED) {
                        index.removeFirst();
                    }
                    indexed = List.copyOf(index);
                }
                return indexed;
            }
        }
    }

    /**
     * Without a watch (a folder that cannot be watched), a call looks at the file's key and size —
     * a stat, not a read — to see whether something was appended.
     */
    private boolean changedOnDisk() {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            a = null;
        }
        synchronized (indexLock) {
            return a == null ? indexKey != null : !Objects.equals(a.fileKey(), indexKey) || a.size() != indexSize;
        }
    }

    /** (Under the index's lock.) The index may be answered on the caller's thread only while it is watched and nothing is pending. */
    private void updateFresh() {
        fresh = indexed != null && watching && !indexDirty && !indexRunning && indexQueued == null ? indexed : null;
    }

    // ------------------------------------------------------------------ watch

    /**
     * Calls {@code changed} after entries were appended, by this process or another (the CLI): the
     * folder is watched (inotify through {@link WatchService}) on a daemon thread; a burst of writes
     * is reported once, after the index took it in. Returns at once, never waiting for a file or a lock (the window calls
     * it on the FX thread): the watch is started on the read thread, so every append after a read asked for from now on
     * is reported.
     */
    @Override
    public AutoCloseable watch(Runnable changed) {
        listeners.add(changed);
        if (!watching) {
            BoundedExecutors.supply(reads, () -> {
                if (watchService == null) {
                    watchTried = false; // a viewer asks again: a start that failed (the folder not writable then) is tried again
                }
                startWatch();
                return null;
            });
        }
        return () -> listeners.remove(changed);
    }

    /**
     * Starts the watch (on the read thread only; once, unless {@link #watch} asks again after a failure): the folder made
     * and registered with inotify without the index's lock, the watch published under it.
     */
    private void startWatch() {
        if (watchTried || closed) {
            return;
        }
        watchTried = true;
        Path dir = file.getParent();
        WatchService made = null;
        try {
            PrivateFiles.createDirectories(dir);
            made = dir.getFileSystem().newWatchService();
            dir.register(made, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.OVERFLOW);
        } catch (IOException e) {
            closeQuietly(made);
            return; // no watching here (e.g. a read-only folder): indexed() looks at the file per call
        }
        WatchService ws = made;
        boolean published;
        synchronized (indexLock) {
            published = !closed;
            if (published) {
                watchService = ws;
                watching = true;
                updateFresh();
            }
        }
        if (!published) {
            closeQuietly(ws); // the log was closed meanwhile
            return;
        }
        Path name = file.getFileName();
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    WatchKey key = ws.take();
                    boolean ours = false;
                    for (var ev : key.pollEvents()) {
                        ours |= ev.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(ev.context());
                    }
                    if (!key.reset()) { // the folder is gone (removed, moved): nothing is reported from here on
                        synchronized (indexLock) {
                            watching = false;
                            fresh = null;
                            // the file the index followed is gone: read whatever is there next from its start. Its key
                            // alone could not tell: a file made again in a folder made again may get the same inode
                            // number, and at the same size it looked unchanged (a CI run's /tmp did so)
                            indexKey = null;
                            indexDirty = true;
                        }
                        return;
                    }
                    if (ours) {
                        // let a burst (write + fsync, several entries) settle into one call
                        for (WatchKey more; (more = ws.poll(100, TimeUnit.MILLISECONDS)) != null; ) {
                            more.pollEvents();
                            more.reset();
                        }
                        CompletableFuture<List<AuditEntry>> taken = indexChanged();
                        if (taken != null) {
                            try {
                                taken.get(10, TimeUnit.SECONDS); // viewers called next see the new entries in the index
                            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ignored) {
                                // the viewers re-read by themselves
                            }
                        }
                        for (Runnable l : listeners) {
                            try {
                                l.run();
                            } catch (RuntimeException ignored) {
                                // the viewer's fault must not stop the watch
                            }
                        }
                    }
                }
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                // closed
            }
        }, "dutydesk-audit-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Stops the watch and the log's threads (the app's log lives as long as the app). */
    @Override
    public void close() {
        closed = true;
        WatchService ws;
        synchronized (indexLock) {
            ws = watchService;
            watching = false;
            fresh = null;
        }
        closeQuietly(ws);
        writes.shutdown();
        reads.shutdown();
    }

    private static void closeQuietly(WatchService ws) {
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** {@inheritDoc} Whether the folder is watched (else {@link #indexed()} looks at the file's size per call). Takes no lock. */
    @Override
    public boolean watching() {
        return watching;
    }
}
