package io.dutydesk.core.rollout;

import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.audit.AuditEntry;
import io.dutydesk.core.audit.AuditLog;
import io.dutydesk.core.audit.AuditRows;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.slots.ServiceState;
import io.dutydesk.core.slots.SlotState;
import io.dutydesk.core.slots.SlotsReader;
import io.dutydesk.core.slots.SlotsSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The releases of an environment: the versions deployed on it, from the audit log (deploys and rollbacks to a
 * release that succeeded: when, by whom) and from the server (what its slots run, which images of the services'
 * repositories are on the host) — and which are still available to roll back to (every service's image present).
 * The audit log is this workstation's: a release deployed from elsewhere shows as "on the host", without when or who.
 */
public final class ReleaseHistory {
    /** Lines of {@link #imagesScript}: {@code @@DUTYDESK-IMAGE repository tag created} (created as Docker's CreatedAt). */
    static final String IMAGE = "@@DUTYDESK-IMAGE ";
    static final String NO_DOCKER = "@@DUTYDESK-NODOCKER";

    /**
     * One release.
     *
     * @param lastDeployed when it was last deployed by this workstation's console (null: not in the audit log)
     * @param by           who deployed it then (empty when not in the audit log)
     * @param deploys      how many times the audit log has it deployed
     * @param runningIn    the slots that run it now, e.g. "blue (live)"
     * @param available    every service's image of this version is on the host: it can be rolled back to
     * @param imageCreated when the newest of its images on the host was built (null: no image, or the listing gave no time)
     * @param newerThanLive never deployed from this console and its images are newer than the live version's (or, when
     *                     the images' times are unknown or equal — extra tags of one image —, its version is above the
     *                     live one, numerically): a release
     *                     pulled ahead (or left by a test), never an earlier release to go back to
     */
    public record Release(String version, Instant lastDeployed, String by, int deploys, List<String> runningIn, boolean available,
                          Instant imageCreated, boolean newerThanLive) {
        public Release {
            runningIn = List.copyOf(runningIn);
        }

        /** Without the image's time (not newer than live). */
        public Release(String version, Instant lastDeployed, String by, int deploys, List<String> runningIn, boolean available) {
            this(version, lastDeployed, by, deploys, runningIn, available, null, false);
        }

        public boolean live() {
            return runningIn.stream().anyMatch(s -> s.endsWith("(live)"));
        }

        /** When it was last deployed from this console, else when its image was built (null: neither is known). */
        public Instant when() {
            return lastDeployed != null ? lastDeployed : imageCreated;
        }

        /**
         * What the releases' lists say of when: "deployed 2026-12-01 10:00 UTC", "image built 2026-11-30 09:00 UTC (not
         * deployed from this console)", "on the host, not deployed here (image built … , newer than the live release)".
         */
        public String whenText(java.time.ZoneId zone) {
            java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", java.util.Locale.ROOT).withZone(zone);
            if (lastDeployed != null) {
                return "deployed " + f.format(lastDeployed);
            }
            String img = imageCreated == null ? "image time unknown" : "image built " + f.format(imageCreated);
            return newerThanLive ? "on the host, not deployed here (" + img + ", newer than the live release)"
                    : img + " (not deployed from this console)";
        }
    }

    /** The history, with what it was read from: the repositories looked at (empty: no container to name them). */
    public record Listing(String environment, List<Release> releases, List<String> repositories, SlotsSnapshot slots,
                          Set<String> failedOnly) {
        public Listing {
            failedOnly = Set.copyOf(failedOnly);
        }

        /** Without failed deploys in the audit log. */
        public Listing(String environment, List<Release> releases, List<String> repositories, SlotsSnapshot slots) {
            this(environment, releases, repositories, slots, Set.of());
        }

        /**
         * Whether this audit log has {@code version}'s deploys only failing (its image may be on the host, left by a deploy
         * that never became healthy): never "a release to go back to" on its own.
         */
        public boolean failedHere(String version) {
            return failedOnly.contains(version);
        }

        public Optional<Release> release(String version) {
            return releases.stream().filter(r -> r.version().equals(version)).findFirst();
        }
    }

    private final Environment env;
    private final RemoteShell shell;
    private final java.util.function.Supplier<CompletableFuture<SlotsSnapshot>> slots;
    private final AuditLog audit;

    public ReleaseHistory(Environment env, RemoteShell shell, SlotsReader slots, AuditLog audit) {
        // the action's read (the live slot from the server's command, never a poll's shared read): a rollback to a
        // release is planned on it
        this(env, shell, slots::readForAction, audit);
    }

    /**
     * @param slots what runs where, as an action must see it (a single stack: its one "production" slot, live; see
     *              {@code io.dutydesk.core.deploy.SingleReleases})
     */
    public ReleaseHistory(Environment env, RemoteShell shell, java.util.function.Supplier<CompletableFuture<SlotsSnapshot>> slots,
                          AuditLog audit) {
        this.env = env;
        this.shell = shell;
        this.slots = slots;
        this.audit = audit;
    }

    /** Reads the slots, the images on the host and the audit log, and merges them. */
    public CompletableFuture<Listing> read() {
        return slots.get().thenCompose(s -> {
            List<String> repos = repositories(s);
            CompletableFuture<Map<String, Instant>> images = shell.exec(imagesScript(env), Duration.ofSeconds(30), RemoteShell.OutputListener.NONE)
                    .thenApply(r -> {
                        if (r.stdout().contains(NO_DOCKER)) {
                            throw new IllegalStateException("docker on the server does not answer: which releases are on the host is unknown");
                        }
                        return imagesCreated(r.stdout());
                    });
            return images.thenCombine(audit.recent(20_000), (img, entries) -> new Listing(env.name(),
                    merge(env, s, repos, img.keySet(), img, entries), repos, s, failedOnly(env, entries)));
        });
    }

    /** The repositories of the environment's services, from the images its containers run ("selfology/service"). */
    static List<String> repositories(SlotsSnapshot s) {
        Set<String> out = new LinkedHashSet<>();
        for (SlotState slot : s.slots()) {
            for (ServiceState svc : slot.services()) {
                svc.container().ifPresent(c -> out.add(repository(c.image())));
            }
        }
        return List.copyOf(out);
    }

    /** "selfology/service:v1" → "selfology/service"; a digest or no tag: the name before it. */
    static String repository(String image) {
        String i = image;
        int at = i.indexOf('@');
        if (at >= 0) {
            i = i.substring(0, at);
        }
        int slash = i.lastIndexOf('/');
        int colon = i.lastIndexOf(':');
        return colon > slash ? i.substring(0, colon) : i;
    }

    /** The images on the host as "repository:tag". */
    static Set<String> images(String out) {
        return imagesCreated(out).keySet();
    }

    /** The images on the host, "repository:tag" → when it was built (a null value: the line gave no readable time). */
    static Map<String, Instant> imagesCreated(String out) {
        Map<String, Instant> img = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(IMAGE)) {
                String[] w = line.substring(IMAGE.length()).strip().split(" ", 3);
                if (w.length >= 2 && !w[1].equals("<none>")) {
                    img.put(w[0] + ":" + w[1], w.length == 3 ? created(w[2]) : null);
                }
            }
        }
        return img;
    }

    private static final java.time.format.DateTimeFormatter CREATED_AT =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");

    /** Docker's CreatedAt ("2026-12-03 23:40:12 +0000 UTC", Go's time.String()): the instant, or null when unreadable. */
    static Instant created(String s) {
        String[] w = s.strip().split(" ");
        if (w.length < 3) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(w[0] + " " + w[1] + " " + w[2], CREATED_AT).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** Lists the images on the server (repository and tag per line), through the environment's Docker socket. */
    static String imagesScript(Environment env) {
        return "DOCKER_HOST=" + ShellQuote.quote("unix://" + env.docker().socket()) + "; export DOCKER_HOST; "
                + "docker version >/dev/null 2>&1 || { echo " + NO_DOCKER + "; exit 0; }; "
                + "docker image ls --format '{{.Repository}} {{.Tag}} {{.CreatedAt}}' | sed 's/^/" + IMAGE + "/'";
    }

    /**
     * The check, on the server inside the lock, that every repository's image of {@code version} is still on the host:
     * "release-image: present" or "release-image: missing (selfology/service:v1)". The version is quoted.
     */
    public static ActionScripts.Precondition imagePresent(Environment env, List<String> repositories, String version) {
        StringBuilder b = new StringBuilder("DOCKER_HOST=").append(ShellQuote.quote("unix://" + env.docker().socket()))
                .append("; export DOCKER_HOST; m_=; ");
        for (String repo : repositories) {
            String ref = ShellQuote.quote(repo + ":" + version);
            b.append("docker image inspect ").append(ref).append(" >/dev/null 2>&1 || m_=\"$m_${m_:+, }\"").append(ref).append("; ");
        }
        b.append("if [ -z \"$m_\" ]; then echo 'release-image: present'; else echo \"release-image: missing ($m_)\"; fi");
        return new ActionScripts.Precondition(b.toString(), Pattern.compile("(?m)^release-image: (\\S+)"), "present",
                "the image of " + version);
    }

    /** As below, without the images' times. */
    static List<Release> merge(Environment env, SlotsSnapshot s, List<String> repos, Set<String> images, List<AuditEntry> entries) {
        return merge(env, s, repos, images, Map.of(), entries);
    }

    /**
     * Pure: the audit log's deploys, the slots and the images merged into releases, the most recent first: by when each
     * was last deployed from this console or, never deployed from here, when its image was built ({@link Release#when()});
     * then by version, numerically ({@link Versions}: v10 above v9). A release never deployed from here whose image is
     * newer than the live release's (or, times unknown or equal, whose version is above it) is {@link Release#newerThanLive()}.
     *
     * @param created "repository:tag" → when the image was built (missing or null: unknown)
     */
    static List<Release> merge(Environment env, SlotsSnapshot s, List<String> repos, Set<String> images, Map<String, Instant> created,
                               List<AuditEntry> entries) {
        Map<String, Instant> last = new LinkedHashMap<>();
        Map<String, String> by = new LinkedHashMap<>();
        Map<String, Integer> count = new LinkedHashMap<>();
        for (AuditEntry e : entries) {
            if (!env.name().equals(e.environment()) || e.end() == null) {
                continue;
            }
            if (!AuditRows.SUCCEEDED.equals(e.result()) && !AuditRows.ENDED.equals(e.result())) {
                continue;
            }
            deployedVersion(e).ifPresent(v -> {
                Instant at = e.end();
                if (!last.containsKey(v) || at.isAfter(last.get(v))) {
                    last.put(v, at);
                    by.put(v, e.actor() == null ? "" : e.actor());
                }
                count.merge(v, 1, Integer::sum);
            });
        }
        Map<String, List<String>> running = new LinkedHashMap<>();
        for (SlotState slot : s.slots()) {
            slot.services().stream().flatMap(x -> x.container().stream()).map(c -> c.version()).distinct()
                    .forEach(v -> running.computeIfAbsent(v, k -> new ArrayList<>()).add(slot.name() + (slot.live() ? " (live)" : " (idle)")));
        }
        Set<String> versions = new LinkedHashSet<>(last.keySet());
        versions.addAll(running.keySet());
        for (String img : images) {
            String repo = repository(img);
            String tag = img.substring(repo.length() + 1);
            if (repos.contains(repo) && env.deploy().versionPattern().matcher(tag).matches()) {
                versions.add(tag);
            }
        }
        Map<String, Instant> built = new LinkedHashMap<>();
        for (String v : versions) {
            repos.stream().map(r -> created.get(r + ":" + v)).filter(java.util.Objects::nonNull).max(Comparator.naturalOrder())
                    .ifPresent(t -> built.put(v, t));
        }
        // the live version: what a live slot runs (one version only; "mixed" or none: nothing to compare with)
        List<String> liveVersions = running.entrySet().stream().filter(e -> e.getValue().stream().anyMatch(x -> x.endsWith("(live)")))
                .map(Map.Entry::getKey).toList();
        Optional<String> live = liveVersions.size() == 1 ? Optional.of(liveVersions.get(0)) : Optional.empty();
        List<Release> out = new ArrayList<>();
        for (String v : versions) {
            boolean available = !repos.isEmpty() && repos.stream().allMatch(r -> images.contains(r + ":" + v));
            boolean newer = false;
            if (live.isPresent() && !last.containsKey(v) && !running.containsKey(v)) {
                // by the images' times; a tie (extra tags of one image: the same creation time) or a time unknown says
                // nothing of which came first, so the version decides, numerically
                Instant mine = built.get(v);
                Instant theirs = built.get(live.get());
                int byTime = mine != null && theirs != null ? mine.compareTo(theirs) : 0;
                newer = byTime != 0 ? byTime > 0 : Versions.compare(v, live.get()) > 0;
            }
            out.add(new Release(v, last.get(v), by.getOrDefault(v, ""), count.getOrDefault(v, 0), running.getOrDefault(v, List.of()),
                    available, built.get(v), newer));
        }
        out.sort(Comparator.comparing(Release::when, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Release::version, Versions.ORDER.reversed()));
        return out;
    }

    /** The versions this audit log has deployed (or rolled back to) on {@code env} only with a failure, never successfully. */
    public static Set<String> failedOnly(Environment env, List<AuditEntry> entries) {
        Set<String> failed = new LinkedHashSet<>();
        Set<String> good = new LinkedHashSet<>();
        for (AuditEntry e : entries) {
            if (!env.name().equals(e.environment()) || e.end() == null) {
                continue;
            }
            Optional<String> v = deployedVersion(e);
            if (v.isEmpty()) {
                continue;
            }
            if (AuditRows.SUCCEEDED.equals(e.result()) || AuditRows.ENDED.equals(e.result())) {
                good.add(v.get());
            } else if (AuditRows.FAILED.equals(e.result())) {
                failed.add(v.get());
            }
        }
        failed.removeAll(good);
        return failed;
    }

    /** The version an audited action put in place: a deploy's VERSION, a rollback's {@code --to VERSION}. */
    static Optional<String> deployedVersion(AuditEntry e) {
        List<String> a = e.args() == null ? List.of() : e.args();
        if ("deploy".equals(e.action()) && a.size() == 1) {
            return Optional.of(a.get(0));
        }
        if ("rollback".equals(e.action()) && a.size() == 2 && "--to".equals(a.get(0))) {
            return Optional.of(a.get(1));
        }
        return Optional.empty();
    }
}
