package io.dutydesk.adapters.audit;

import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditRows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

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
 * names, with their size and time modified, are the log's first rotated files; else (missing, damaged, a rotated file
 * edited or removed) the rotated files are read again. Its format:
 *
 * <pre>
 * dutydesk open entries 1
 * file SIZE MODIFIED-MS NAME   one line per rotated file covered, oldest first
 * {...}                        the entries of the actions they leave open, oldest first, as the log writes them
 * end FILES ENTRIES
 * </pre>
 *
 * An action closed in the rotated files and opened again after them (a hand edit, an interruption written after a
 * completion) lacks its entries from before it closed: whether it awaits its end is still decided exactly.
 */
final class AwaitingEnd {
    static final String HEAD = "dutydesk open entries 1";

    /** What the read needs of the log: its rotated files (oldest first) and one file's entries, stand-ins or parsed. */
    interface Log {
        List<Path> rotated() throws IOException;

        /** The file's entries; {@link NoSuchFileException} when it is gone. */
        List<AuditEntry> entries(Path file, boolean standIns) throws IOException;
    }

    /** One rotated file as a summary covers it. */
    record Covered(String name, long size, long modified) {
        static Covered of(Path p) throws IOException {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return new Covered(p.getFileName().toString(), a.size(), a.lastModifiedTime().toMillis());
        }
    }

    /** The rotated files covered and every entry of the actions they leave open. */
    record Summary(List<Covered> files, List<AuditEntry> entries) {}

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
                String[] w = lines.get(i).split(" ", 4);
                files.add(new Covered(w[3], Long.parseLong(w[1]), Long.parseLong(w[2])));
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

    /** Writes {@code s} to {@code file} whole: under a temporary name (0600) in its folder, then renamed over it. */
    static void write(Path file, Summary s) throws IOException {
        StringBuilder b = new StringBuilder(HEAD).append('\n');
        for (Covered c : s.files()) {
            b.append("file ").append(c.size()).append(' ').append(c.modified()).append(' ').append(c.name()).append('\n');
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
