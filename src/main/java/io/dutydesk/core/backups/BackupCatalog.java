package io.dutydesk.core.backups;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pure rules over a folder listing: which files are backups, of which kind (the configured patterns),
 * when they were taken and until when they are kept, and whether the RPO holds.
 */
public final class BackupCatalog {
    /** The kind of a backup file that matches no configured pattern. */
    public static final String OTHER = "other";
    /** The kind of the safety backup the console takes before every restore. */
    public static final String PRE_RESTORE = "pre-restore";
    public static final Environment.BackupKind PRE_RESTORE_KIND = new Environment.BackupKind(PRE_RESTORE,
            Pattern.compile("dutydesk_prerestore_(\\d{8}_\\d{6})(?:_\\d+)?\\.sql\\.gz"), "yyyyMMdd_HHmmss", 90);
    /** What a backup file's name ends with; sidecars (.sha256, .md5) and partial files are not backups. */
    private static final Pattern BACKUP_FILE = Pattern.compile(".*\\.(sql|sql\\.gz|dump)$");

    private BackupCatalog() {}

    /** The configured kinds, plus the console's own pre-restore kind unless the team named one so. */
    public static List<Environment.BackupKind> kinds(Environment.Backups config) {
        List<Environment.BackupKind> out = new ArrayList<>(config.kinds());
        if (out.stream().noneMatch(k -> k.name().equals(PRE_RESTORE))) {
            out.add(PRE_RESTORE_KIND);
        }
        return out;
    }

    public static boolean isBackupFile(String name) {
        return BACKUP_FILE.matcher(name).matches();
    }

    public static String format(String name) {
        if (name.endsWith(".dump")) {
            return "custom";
        }
        return name.endsWith(".gz") ? "gzip" : "plain";
    }

    /** One file as a backup entry (no verification yet). */
    public static BackupEntry entry(List<Environment.BackupKind> kinds, String folder, RemoteShell.RemoteFile f) {
        String path = folder.endsWith("/") ? folder + f.name() : folder + "/" + f.name();
        for (Environment.BackupKind k : kinds) {
            Matcher m = k.pattern().matcher(f.name());
            if (m.matches()) {
                Instant taken = parse(m.group(1), k.timestampFormat()).orElse(f.modified());
                return new BackupEntry(f.name(), folder, path, k.name(), f.size(), f.modified(), taken,
                        taken.plus(k.retentionDays(), ChronoUnit.DAYS), Optional.empty());
            }
        }
        return new BackupEntry(f.name(), folder, path, OTHER, f.size(), f.modified(), f.modified(), null, Optional.empty());
    }

    public static Optional<Instant> parse(String stamp, String format) {
        return io.dutydesk.core.config.TimestampFormat.parse(stamp, format);
    }

    /**
     * Builds the listing: backups of every folder, newest first, with the stored verification that
     * still applies to each; the newest backup of an RPO kind and whether it is young enough.
     */
    public static BackupListing listing(String env, Environment.Backups config, Map<String, List<RemoteShell.RemoteFile>> byFolder,
                                        Map<String, Long> free, Map<String, Verification> verified, Instant now) {
        return listing(env, config, byFolder, Map.of(), free, verified, now);
    }

    /**
     * As above; {@code unreachable}: folder → why it could not be listed. Such a folder is in the listing
     * with its reason and no backups; the other folders' backups are listed as usual.
     */
    public static BackupListing listing(String env, Environment.Backups config, Map<String, List<RemoteShell.RemoteFile>> byFolder,
                                        Map<String, String> unreachable, Map<String, Long> free,
                                        Map<String, Verification> verified, Instant now) {
        return listing(env, config, byFolder, unreachable, free, verified, Optional.empty(), now);
    }

    /**
     * A job holding the server's action lock right now: its id (its tag, the id's last 8 hex digits, is in the name of a
     * .part it writes itself) and when it started by the server's clock (a .part written since then may be its own).
     */
    public record RunningJob(String id, Instant since) {
        public String tag() {
            return id.substring(id.lastIndexOf('-') + 1);
        }

        /** Whether the job may be writing {@code f}: its tag is in the name, or the file was written since the job started. */
        boolean writes(RemoteShell.RemoteFile f) {
            return f.name().endsWith("." + tag() + ".part") || f.modified().getEpochSecond() >= since.getEpochSecond();
        }
    }

    /**
     * As above; {@code running}: the job running on the server right now, if any — the .part files it may be writing
     * are {@link BackupListing#inProgress()}, not leftovers (only the parts of jobs that ended are).
     */
    public static BackupListing listing(String env, Environment.Backups config, Map<String, List<RemoteShell.RemoteFile>> byFolder,
                                        Map<String, String> unreachable, Map<String, Long> free,
                                        Map<String, Verification> verified, Optional<RunningJob> running, Instant now) {
        return listing(env, config, byFolder, unreachable, free, verified, running, null, now);
    }

    /**
     * The version sidecars to read for a listing: in each folder, the files {@code BACKUP + backups.versionSidecar} of the
     * backups there, no larger than {@link RecordedVersion#MAX_BYTES} (a larger one is unknown without being read).
     */
    public static Map<String, RemoteShell.RemoteFile> sidecarsToRead(Environment.Backups config,
                                                                    Map<String, List<RemoteShell.RemoteFile>> byFolder) {
        Map<String, RemoteShell.RemoteFile> out = new java.util.LinkedHashMap<>();
        for (String folder : config.folders()) {
            List<RemoteShell.RemoteFile> files = byFolder.getOrDefault(folder, List.of());
            Map<String, RemoteShell.RemoteFile> byName = new HashMap<>();
            files.forEach(f -> byName.put(f.name(), f));
            for (RemoteShell.RemoteFile f : files) {
                RemoteShell.RemoteFile side = byName.get(f.name() + config.versionSidecar());
                if (!f.directory() && isBackupFile(f.name()) && side != null && !side.directory()
                        && side.size() <= RecordedVersion.MAX_BYTES) {
                    out.put(join(folder, side.name()), side);
                }
            }
        }
        return out;
    }

    /** Whether {@code f} is the version sidecar of another file listed in the same folder (never a backup itself). */
    static boolean isSidecar(Environment.Backups config, RemoteShell.RemoteFile f, Map<String, RemoteShell.RemoteFile> byName) {
        String suffix = config.versionSidecar();
        return f.name().endsWith(suffix) && f.name().length() > suffix.length()
                && byName.containsKey(f.name().substring(0, f.name().length() - suffix.length()));
    }

    /** What the sidecar of the backup {@code f} says: {@code contents} holds what was read (sidecar path → bytes; null: none read). */
    static RecordedVersion recorded(Environment.Backups config, String folder, RemoteShell.RemoteFile f,
                                    Map<String, RemoteShell.RemoteFile> byName, Map<String, byte[]> contents) {
        if (contents == null) {
            return RecordedVersion.NOT_READ;
        }
        String name = f.name() + config.versionSidecar();
        RemoteShell.RemoteFile side = byName.get(name);
        if (side == null || side.directory()) {
            return RecordedVersion.unknown("no " + name);
        }
        if (side.size() > RecordedVersion.MAX_BYTES) {
            return RecordedVersion.unknown(name + " is larger than " + RecordedVersion.MAX_BYTES + " bytes: not a version");
        }
        return RecordedVersion.parse(name, contents.get(join(folder, name)));
    }

    private static String join(String folder, String name) {
        return folder.endsWith("/") ? folder + name : folder + "/" + name;
    }

    /**
     * As above; {@code sidecars}: the version sidecars read ({@link #sidecarsToRead}: path → content, a missing one could not
     * be read), each backup's {@link BackupEntry#recorded()} from it; null: not read at all. Sidecars are never backups.
     */
    public static BackupListing listing(String env, Environment.Backups config, Map<String, List<RemoteShell.RemoteFile>> byFolder,
                                        Map<String, String> unreachable, Map<String, Long> free,
                                        Map<String, Verification> verified, Optional<RunningJob> running,
                                        Map<String, byte[]> sidecars, Instant now) {
        List<PartInProgress> inProgress = new ArrayList<>();
        List<Environment.BackupKind> kinds = kinds(config);
        List<BackupEntry> all = new ArrayList<>();
        List<Leftover> leftovers = new ArrayList<>();
        List<BackupListing.Folder> folders = new ArrayList<>();
        for (String folder : config.folders()) {
            folders.add(new BackupListing.Folder(folder, free.getOrDefault(folder, -1L), Optional.ofNullable(unreachable.get(folder))));
            Map<String, RemoteShell.RemoteFile> byName = new HashMap<>();
            byFolder.getOrDefault(folder, List.of()).forEach(f -> byName.put(f.name(), f));
            for (RemoteShell.RemoteFile f : byFolder.getOrDefault(folder, List.of())) {
                if (!f.directory() && isLeftover(f.name())) {
                    Leftover part = new Leftover(f.name(), folder, folder.endsWith("/") ? folder + f.name() : folder + "/" + f.name(),
                            f.size(), f.modified());
                    if (running.isPresent() && running.get().writes(f)) {
                        inProgress.add(new PartInProgress(part, running.get().id()));
                    } else {
                        leftovers.add(part);
                    }
                }
                if (f.directory() || !isBackupFile(f.name()) || isSidecar(config, f, byName)) {
                    continue;
                }
                BackupEntry e = entry(kinds, folder, f).withRecorded(recorded(config, folder, f, byName, sidecars));
                Verification v = verified.get(e.path());
                all.add(v != null && v.appliesTo(e) ? e.withVerification(Optional.of(v)) : e);
            }
        }
        all.sort(Comparator.comparing(BackupEntry::takenAt).reversed().thenComparing(BackupEntry::name));
        Optional<BackupEntry> newest = all.stream().filter(e -> config.rpoKinds().contains(e.kind())).findFirst();
        Optional<Double> age = newest.map(e -> e.ageHours(now));
        boolean ok = age.isPresent() && age.get() <= config.rpoHours();
        leftovers.sort(Comparator.comparing(Leftover::modifiedAt).thenComparing(Leftover::path));
        inProgress.sort(Comparator.comparing((PartInProgress p) -> p.part().modifiedAt()).thenComparing(p -> p.part().path()));
        return new BackupListing(env, List.copyOf(folders), List.copyOf(all), newest, age, config.rpoHours(), ok, now,
                List.copyOf(config.rpoKinds()), List.copyOf(leftovers), List.copyOf(inProgress));
    }

    /** A partial file a killed backup or safety backup left: {@code NAME.part} (never a backup itself). */
    public static boolean isLeftover(String name) {
        return name.endsWith(".part") && name.length() > ".part".length();
    }

    /** The leftover called {@code name} (a file name or full path) among the listed ones; anything else is refused. */
    public static Leftover findLeftover(BackupListing listing, String name) {
        List<Leftover> hits = listing.leftovers().stream().filter(l -> l.name().equals(name) || l.path().equals(name)).toList();
        Optional<PartInProgress> writing = listing.inProgress().stream()
                .filter(p -> p.part().name().equals(name) || p.part().path().equals(name)).findFirst();
        if (hits.isEmpty() && writing.isPresent()) {
            throw new IllegalArgumentException("'" + printable(name) + "' is being written by job " + writing.get().jobId()
                    + ", which is running right now: it is not a leftover");
        }
        if (hits.size() != 1) {
            List<String> unread = listing.unreachableFolders().stream().map(f -> f.problem().orElseThrow()).toList();
            throw new IllegalArgumentException(hits.isEmpty()
                    ? "'" + printable(String.valueOf(name)) + "' is not a leftover .part file in "
                    + String.join(", ", listing.folders().stream().filter(f -> f.unreachable().isEmpty())
                    .map(BackupListing.Folder::path).toList())
                    + (unread.isEmpty() ? "" : " (" + String.join("; ", unread) + ")")
                    : "'" + printable(name) + "' is in several folders; give its full path");
        }
        Leftover l = hits.get(0);
        Optional<String> bad = notPlainName(l.name());
        if (bad.isPresent()) {
            throw new IllegalArgumentException("the server lists a leftover named '" + printable(l.name()) + "' in "
                    + l.folder() + ", which " + bad.get() + ": it could point outside its folder");
        }
        return l;
    }

    /**
     * The backup called {@code name} (a file name, or a full path) among the listed ones. Anything
     * else — a path outside the folders, "..", a file that is not listed — is refused.
     */
    public static BackupEntry find(BackupListing listing, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("which backup? give a file name from 'dutydesk backups'");
        }
        List<BackupEntry> hits = listing.backups().stream()
                .filter(e -> e.name().equals(name) || e.path().equals(name)).toList();
        if (hits.isEmpty()) {
            List<String> unread = listing.unreachableFolders().stream().map(f -> f.problem().orElseThrow()).toList();
            throw new IllegalArgumentException("'" + printable(name) + "' is not a backup in "
                    + String.join(", ", listing.folders().stream().filter(f -> f.unreachable().isEmpty())
                    .map(BackupListing.Folder::path).toList())
                    + (unread.isEmpty() ? "" : " (" + String.join("; ", unread) + ")"));
        }
        if (hits.size() > 1) {
            throw new IllegalArgumentException("'" + printable(name) + "' is in several folders; give its full path: "
                    + String.join(", ", hits.stream().map(BackupEntry::path).toList()));
        }
        BackupEntry e = hits.get(0);
        Optional<String> bad = notPlainName(e.name());
        if (bad.isPresent()) {
            throw new IllegalArgumentException("refused: the server lists a backup named '" + printable(e.name()) + "' in "
                    + e.folder() + ", which " + bad.get() + ": it could point outside its folder (on the server or on this computer)");
        }
        return e;
    }

    /**
     * Why {@code name}, as the server listed it, is not one plain file name — it contains '/' or '\\',
     * is "." or "..", or holds a control character — or empty when it is one. Such a name is never
     * joined to a folder: not to the backup folder on the server, not to the download folder here.
     */
    public static Optional<String> notPlainName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("is '" + name + "'");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return Optional.of("contains a path separator");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("contains a control character");
        }
        return Optional.empty();
    }

    static String printable(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 120 ? t.substring(0, 117) + "..." : t;
    }
}
