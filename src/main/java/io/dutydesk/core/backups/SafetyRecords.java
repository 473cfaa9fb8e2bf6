package io.dutydesk.core.backups;

import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.ports.VerificationResults;
import io.dutydesk.core.rollout.ActionScripts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Safety backups a restore job verified complete whose console never recorded it — killed or closed while the job went
 * on, so the backup read "not verified" forever. A listing that shows a backup not verified asks the server's own record:
 * the restore jobs' logs, whose {@link BackupScripts#SAFETY_VERIFIED} and {@link BackupScripts#SAFETY} markers are judged
 * by the rule a live follow records them with ({@link BackupsService#safetyVerification}), and keeps what it finds.
 * Only a file as the job verified it (same path, size and time) is verified so: one truncated or rewritten since, or one
 * whose job never printed the markers (its check failed, it was killed first), stays not verified. Each file as listed
 * (path, size, time) is asked about once per console (again while a job runs: its markers may be on their way).
 */
final class SafetyRecords {
    /** The marker lines' prefix: both {@code @@SAFETYOK} and {@code @@SAFETY}. */
    private static final String MARKERS = "@@SAFETY";

    private final BackupsService service;
    private final String stateDir;
    private final RemoteShell shell;
    private final VerificationResults results;
    private final Duration timeout;
    private final Set<String> asked = ConcurrentHashMap.newKeySet();

    SafetyRecords(BackupsService service, String stateDir, RemoteShell shell, VerificationResults results, Duration timeout) {
        this.service = service;
        this.stateDir = stateDir;
        this.shell = shell;
        this.results = results;
        this.timeout = timeout;
    }

    /**
     * Reads only: for each restore job's log in the state folder ({@code *-restore-XXXXXXXX.log}, not scratch restores), its
     * safety markers, each as {@code LOG id line} ({@link ActionScripts#LOG}). Nothing of a file name reaches a command.
     */
    static String script(String stateDir) {
        return "for f_ in \"" + ActionScripts.dir(stateDir) + "\"/actions/*-restore-????????.log; do [ -f \"$f_\" ] || continue; "
                + "id_=${f_##*/}; id_=${id_%.log}; grep '^" + MARKERS + "' \"$f_\" 2>/dev/null | while IFS= read -r l_; do "
                + "printf '%s%s %s\\n' '" + ActionScripts.LOG + "' \"$id_\" \"$l_\"; done; done; true";
    }

    /** {@code listing} with the safety backups its restore jobs verified recorded as verified (kept too); never fails. */
    CompletableFuture<BackupListing> record(BackupListing listing, boolean jobRunning) {
        List<BackupEntry> unverified = listing.backups().stream()
                .filter(e -> e.verification().isEmpty() && !asked.contains(key(e))).toList();
        if (unverified.isEmpty()) {
            return CompletableFuture.completedFuture(listing);
        }
        return shell.exec(script(stateDir), timeout, RemoteShell.OutputListener.NONE).thenCompose(r -> {
            Map<String, Verification> verified = new HashMap<>();
            jobLogs(r.stdout()).forEach((id, lines) -> service.safetyVerification(lines, id, null)
                    .ifPresent(v -> verified.put(v.path(), v)));
            Map<String, Verification> found = new HashMap<>();
            List<CompletableFuture<Void>> saves = new ArrayList<>();
            for (BackupEntry e : unverified) {
                Verification v = verified.get(e.path());
                if (v != null && v.appliesTo(e)) {
                    found.put(e.path(), v);
                    saves.add(results.save(listing.env(), v).exceptionally(x -> null)); // shown now all the same
                } else if (!jobRunning) {
                    asked.add(key(e));
                }
            }
            return CompletableFuture.allOf(saves.toArray(CompletableFuture[]::new)).thenApply(x -> listing.withVerifications(found));
        }).exceptionally(e -> listing); // the server did not answer: not verified, asked again at the next listing
    }

    /** The lines of each job's log in {@link #script}'s answer, by job id (ids that are not well formed are left out). */
    static Map<String, List<String>> jobLogs(String out) {
        Map<String, List<String>> logs = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(ActionScripts.LOG)) {
                String[] w = line.substring(ActionScripts.LOG.length()).split(" ", 2);
                if (w.length == 2 && ActionScripts.validId(w[0]).isPresent()) {
                    logs.computeIfAbsent(w[0], k -> new ArrayList<>()).add(w[1]);
                }
            }
        }
        return logs;
    }

    private static String key(BackupEntry e) {
        return e.path() + "\n" + e.sizeBytes() + "\n" + e.modifiedAt().getEpochSecond();
    }
}
