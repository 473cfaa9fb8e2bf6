package io.dutydesk.adapters.audit;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;

import io.dutydesk.adapters.support.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * {@link JsonlAuditLog#awaitingEnd}: the actions awaiting their end in the whole log, however many entries followed them,
 * without reading every rotated file at every start. Rotated files never change, so what they leave open is read once
 * and kept beside the log in a summary ({@code audit.jsonl.open}): every entry of the actions open at the end of the
 * rotated files it names. A read takes the summary, the rotated files it does not cover yet (after a rotation; all of them
 * at the first read) and the current file — the current file's read and a rotated file's after a rotation, as before
 * the summary — and writes the summary anew when it covered less. Lines of {@link AuditJson#write}'s shape are read as
 * stand-ins ({@link AuditLines}): only the lines of actions that may await their end are parsed.
 *
 * <p>The summary is a cache, 0600, written whole under a temporary name and renamed: it is used only while the files it
 * names, with their size, time modified and file key (device and inode, where the file system has one), are the log's
 * first rotated files; else (missing, damaged, a rotated file edited, removed or replaced by another of the same size and
 * time) the rotated files are read again. Its format:
 *
 * <pre>
 * dutydesk open entries 2
 * file SIZE MODIFIED-MS KEY NAME   one line per rotated file covered, oldest first; KEY "-" where files have none
 * {...}                            the entries of the actions they leave open, oldest first, as the log writes them
 * end FILES ENTRIES
 * </pre>
 *
 * A summary of another version (the first, without the files' keys) is not read: the rotated files are read again and
 * the summary written anew.
 *
 * <p>A rebuild holds a lock ({@code audit.jsonl.open.lock}, 0600) from before its temporary file
 * ({@code .audit.jsonl.open-DIGITS.tmp}) is made until after it is renamed: one rebuild at a time, across threads and
 * processes; one that finds the lock taken leaves the summary to that one. Holding it, a rebuild removes the temporary
 * files of that exact name in that folder, which no live rebuild can then be writing: those of a writer killed between
 * the two steps (kill -9, a power cut), kept for ever before.
 *
 * An action closed in the rotated files and opened again after them (a hand edit, an interruption written after a
 * completion) lacks its entries from before it closed: whether it awaits its end is still decided exactly.
 */
final class AwaitingEnd {
    static final String HEAD = "dutydesk open entries 2";

    /** What the read needs of the log: its rotated files (oldest first) and one file's entries, stand-ins or parsed. */
    interface Log {
        List<Path> rotated() throws IOException;

        /** The file's entries; {@link NoSuchFileException} when it is gone. */
        List<AuditEntry> entries(Path file, boolean standIns) throws IOException;
    }

    /**
     * One rotated file as a summary covers it; {@code key}: its file key in words ({@link #key}), "-" where the file system
     * gives none.
     */
    record Covered(String name, long size, long modified, String key) {
        static Covered of(Path p) throws IOException {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return new Covered(p.getFileName().toString(), a.size(), a.lastModifiedTime().toMillis(), AwaitingEnd.key(a.fileKey()));
        }
    }

    /**
     * A file key ({@link BasicFileAttributes#fileKey}: "(dev=803,ino=1234)") as one word of the summary: "-" for none, and
     * any space, control or non-ASCII character, '%' and '-' written %XX (UTF-8), so a key of any file system is one word.
     */
    static String key(Object fileKey) {
        if (fileKey == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (byte c : fileKey.toString().getBytes(StandardCharsets.UTF_8)) {
            if (c > ' ' && c < 0x7f && c != '%' && c != '-') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.isEmpty() ? "%" : b.toString(); // "%": an empty key (never a word of an encoded one)
    }

    /** The rotated files covered and every entry of the actions they leave open. */
    record Summary(List<Covered> files, List<AuditEntry> entries) {}

    /**
     * The summary rebuilt in this process now, by its lock file: one thread at a time (a file lock is the process's, and
     * closing any channel on the file would drop the lock another thread holds on it).
     */
    private static final ConcurrentHashMap<Path, ReentrantLock> REBUILDING = new ConcurrentHashMap<>();

    private final Path current;
    private final Path summary;
    private final Log log;

    AwaitingEnd(Path current, Log log) {
        this.current = current;
        this.summary = current.resolveSibling(current.getFileName() + ".open");
        this.log = log;
    }

    Path summaryFile() {
        return summary;
    }

    /** Every entry of the actions awaiting their end ({@link AuditRows#awaitingEnd}), oldest first. */
    List<AuditEntry> read() throws IOException {
        List<AuditEntry> open = read(true);
        return open != null ? open : read(false); // a stand-in the parser refused after all: every line parsed
    }

    /** Null when a stand-in's line is refused by the parser ({@link AuditLines#candidates}). */
    private List<AuditEntry> read(boolean standIns) throws IOException {
        while (true) {
            List<Path> rotated = log.rotated();
            List<Covered> now = new ArrayList<>();
            List<AuditEntry> older = new ArrayList<>();
            List<AuditEntry> newer;
            int covered;
            try {
                for (Path p : rotated) {
                    now.add(Covered.of(p));
                }
                Summary kept = rotated.isEmpty() ? null : read(summary);
                covered = kept != null && kept.files().size() <= now.size() && now.subList(0, kept.files().size()).equals(kept.files())
                        ? kept.files().size() : 0;
                if (covered > 0) {
                    older.addAll(kept.entries());
                }
                for (int i = covered; i < rotated.size(); i++) {
                    older.addAll(log.entries(rotated.get(i), standIns));
                }
            } catch (NoSuchFileException gone) {
                if (!rotated.equals(log.rotated())) {
                    continue; // rotated or removed meanwhile: look again
                }
                // still listed, yet not there (a link to nothing): looking again finds the same, for ever — say it instead
                throw new NoSuchFileException(gone.getFile(), null,
                        "listed among the audit log's rotated files but not found (a link to nothing?)");
            }
            try {
                newer = log.entries(current, standIns);
            } catch (NoSuchFileException none) {
                newer = List.of(); // rotated away meanwhile (the check below reads again), or no log yet
            }
            if (!rotated.equals(log.rotated())) {
                continue; // rotated while it read: one consistent view
            }
            List<AuditEntry> all = new ArrayList<>(older);
            all.addAll(newer);
            List<AuditEntry> candidates = standIns ? AuditLines.candidates(all) : all;
            List<AuditEntry> keep = covered == rotated.size() ? null : standIns ? AuditLines.candidates(older) : older;
            if (candidates == null || (covered < rotated.size() && keep == null)) {
                return null;
            }
            if (keep != null) {
                try {
                    write(summary, new Summary(now, AuditRows.awaitingEnd(keep)));
                } catch (IOException | UncheckedIOException notWritten) {
                    // a folder that cannot be written: the rotated files are read again next time
                }
            }
            return AuditRows.awaitingEnd(candidates);
        }
    }

    /** The summary in {@code file}, or null when it is missing or not whole. */
    static Summary read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException missingOrNotText) {
            return null;
        }
        if (lines.size() < 2 || !lines.get(0).equals(HEAD)) {
            return null;
        }
        try {
            List<Covered> files = new ArrayList<>();
            List<AuditEntry> entries = new ArrayList<>();
            int i = 1;
            for (; i < lines.size() && lines.get(i).startsWith("file "); i++) {
                String[] w = lines.get(i).split(" ", 5);
                files.add(new Covered(w[4], Long.parseLong(w[1]), Long.parseLong(w[2]), w[3]));
            }
            for (; i < lines.size() - 1; i++) {
                entries.add(AuditJson.read(lines.get(i)));
            }
            return lines.get(i).equals("end " + files.size() + " " + entries.size()) ? new Summary(List.copyOf(files), List.copyOf(entries))
                    : null;
        } catch (IOException | RuntimeException damaged) {
            return null;
        }
    }

    /** The lock a rebuild of {@code summary} holds: {@code audit.jsonl.open.lock}. */
    static Path lockFile(Path summary) {
        return summary.resolveSibling(summary.getFileName() + ".lock");
    }

    /** The name of the temporary files a rebuild of {@code summary} writes: {@code .audit.jsonl.open-DIGITS.tmp}. */
    static Pattern temporaryName(Path summary) {
        return Pattern.compile(Pattern.quote("." + summary.getFileName() + "-") + "[0-9]+" + Pattern.quote(".tmp"));
    }

    /**
     * Writes {@code s} to {@code file} whole, holding the rebuild's lock: removes what killed rebuilds left, writes it
     * under a temporary name (0600) in its folder and renames that over it. False, nothing written, when another thread or
     * process is rebuilding it.
     */
    static boolean write(Path file, Summary s) throws IOException {
        Path lock = lockFile(file);
        PrivateFiles.ensureFile(lock);
        ReentrantLock here = REBUILDING.computeIfAbsent(lock.toRealPath(), k -> new ReentrantLock());
        if (!here.tryLock()) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock held = tryLock(ch)) {
            if (held == null) {
                return false;
            }
            removeLeftovers(file);
            writeWhole(file, s);
            return true;
        } finally {
            here.unlock();
        }
    }

    /** The whole file's lock, or null when another process holds it, or this one by another name (a hard link). */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            return null;
        }
    }

    /**
     * Removes the temporary files of {@code summary}'s rebuilds in its folder (regular files of exactly that name, not
     * followed through a link); called holding the rebuild's lock, so none is being written.
     */
    private static void removeLeftovers(Path summary) {
        Pattern name = temporaryName(summary);
        try (DirectoryStream<Path> folder = Files.newDirectoryStream(summary.getParent())) {
            for (Path p : folder) {
                if (name.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException notRemoved) {
                        // tried again at the next rebuild
                    }
                }
            }
        } catch (IOException | DirectoryIteratorException unlisted) {
            // tried again at the next rebuild
        }
    }

    private static void writeWhole(Path file, Summary s) throws IOException {
        StringBuilder b = new StringBuilder(HEAD).append('\n');
        for (Covered c : s.files()) {
            b.append("file ").append(c.size()).append(' ').append(c.modified()).append(' ').append(c.key()).append(' ')
                    .append(c.name()).append('\n');
        }
        for (AuditEntry e : s.entries()) {
            b.append(AuditJson.write(e)).append('\n');
        }
        b.append("end ").append(s.files().size()).append(' ').append(s.entries().size()).append('\n');
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + "-", ".tmp"); // 0600 where POSIX
        try {
            Files.writeString(tmp, b, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
