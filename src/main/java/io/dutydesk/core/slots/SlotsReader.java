package io.dutydesk.core.slots;

import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.ContainersPort.ContainerInfo;
import io.dutydesk.core.ports.RemoteShell;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;

/**
 * Reads both slots from the server: the live slot from the configured command (or, for the polls, the configured
 * {@code deploy.liveSlotFile} over SFTP: no exec), the containers from Docker — through the Docker API
 * ({@link ContainersPort}: the window, which holds its client), or {@link #onServer} in the same one exec as the live
 * slot, by the docker command on the server (the CLI's action path: no Docker client built, one round trip). Polls
 * that ask while a poll read is under way share it (the Slots pane and the Outbox pane's relay tick together).
 */
public final class SlotsReader {
    private final Environment env;
    private final ContainersPort containers; // null: read on the server by its docker command
    private final RemoteShell shell;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<SlotsSnapshot>> polling =
            new java.util.concurrent.atomic.AtomicReference<>();

    public SlotsReader(Environment env, ContainersPort containers, RemoteShell shell, Clock clock) {
        this.env = env;
        this.containers = containers;
        this.shell = shell;
        this.clock = clock;
    }

    /** Reads the live slot and the slots' containers in one exec ({@link #stateScript()}), without a Docker client. */
    public static SlotsReader onServer(Environment env, RemoteShell shell, Clock clock) {
        return new SlotsReader(env, null, shell, clock);
    }

    /** The first line of {@link #stateScript()}'s output: the server runs the script (before the live slot command). */
    static final String BEGIN = "@@DD-STATE";
    /** Marks the start of the containers' part of {@link #stateScript()}'s output. */
    static final String CONTAINERS = "@@DD-CONTAINERS";
    /** A container's line: id, name, image, state, health, started, restarts, slot label, service label, tab-separated. */
    static final String CONTAINER = "@@DD-C\t";
    static final String NO_DOCKER = "@@DD-NODOCKER";
    /** The line after the live slot command's output in {@link #stateScript()}: its exit status follows. */
    static final String LIVE_END = "@@DD-LIVE-END ";

    /**
     * One shell script that prints {@link #BEGIN}, the live slot command's output, then {@link #CONTAINERS}, then one line per
     * container of the slots (found as {@link #find} finds them: by the environment's labels when it names them,
     * else by the configured names) from {@code docker inspect} on the server, or {@link #NO_DOCKER} with docker's
     * words when it does not answer. Read back by {@link #parseState}.
     */
    public String stateScript() {
        var slots = env.slots();
        StringBuilder b = new StringBuilder();
        // the live slot command and Docker read side by side (a status script and a Go program started: the read takes the
        // longer of the two, not their sum); only the live part writes while both run (its output, then LIVE_END with its
        // exit status: a read cut by a timeout says which of the two had not answered), Docker's lines are kept and
        // printed once the live part has ended, in the order parseState reads them
        b.append("echo '").append(BEGIN).append("'; ( ( cd ").append(ShellQuote.path(env.deploy().workdir())).append(" && ")
                .append(env.deploy().liveSlotCommand()).append(" ); lr_=$?; echo; echo \"").append(LIVE_END).append("$lr_\" ) & lp_=$!; ");
        b.append("DOCKER_HOST=").append(ShellQuote.quote("unix://" + env.docker().socket())).append("; export DOCKER_HOST; c_=$( ");
        boolean labels = !slots.slotLabel().isEmpty() && !slots.serviceLabel().isEmpty();
        String format = ShellQuote.quote(CONTAINER
                + "{{.Id}}\t{{.Name}}\t{{.Config.Image}}\t{{.State.Status}}\t{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}"
                + "\t{{.State.StartedAt}}\t{{.RestartCount}}\t{{index .Config.Labels " + ShellQuote.goString(labels ? slots.slotLabel() : "")
                + "}}\t{{index .Config.Labels " + ShellQuote.goString(labels ? slots.serviceLabel() : "") + "}}");
        if (labels) { // found by their label (any name): listed first, then inspected
            b.append("i_=$(docker ps -aq --no-trunc --filter ").append(ShellQuote.quote("label=" + slots.slotLabel()))
                    .append(" 2>&1) || { printf '%s %s\\n' '").append(NO_DOCKER).append("' \"$(printf '%s' \"$i_\" | head -n 1)\"; exit 0; }; ");
            b.append("[ -z \"$i_\" ] || docker inspect --format ").append(format).append(" $i_");
            return b.append(printed()).toString();
        }
        // by their names: one call — the containers found on stdout; docker's exit status decides: 0 is a read whatever stderr
        // says (a warning such as "WARNING: Error loading config file"); otherwise each missing one is a "No such container"
        // line (missing, not an error), and any other word — or none at all (docker killed) — fails the read with it
        b.append("{ e_=$(docker container inspect --format ").append(format);
        for (String slot : slots.names()) {
            for (String service : slots.services()) {
                b.append(' ').append(ShellQuote.quote(slots.container(service, slot)));
            }
        }
        b.append(" 2>&1 >&3 3>&-; echo \"@@rc $?\"); } 3>&1; r_=${e_##*@@rc }; e_=${e_%@@rc *}; if [ \"$r_\" != 0 ]; then ")
                .append("n_=; w_=; set -f; oi_=$IFS; IFS='\n'; for l_ in $e_; do case \"$l_\" in *'No such container'*|*'No such object'*) n_=1 ;; ")
                .append("WARNING*|Warning*) ;; *) [ -n \"$w_\" ] || w_=$l_ ;; esac; done; IFS=$oi_; set +f; ")
                .append("if [ -n \"$w_\" ]; then printf '%s %s\\n' '").append(NO_DOCKER).append("' \"$w_\"; ")
                .append("elif [ -z \"$n_\" ]; then printf '%s %s\\n' '").append(NO_DOCKER).append("' \"docker exited $r_\"; fi; fi");
        return b.append(printed()).toString();
    }

    /** The end of {@link #stateScript()}: Docker's part kept, the live part waited for, then Docker's lines after CONTAINERS. */
    private static String printed() {
        return " ); wait $lp_; echo '" + CONTAINERS + "'; [ -z \"$c_\" ] || printf '%s\\n' \"$c_\"";
    }

    /**
     * The snapshot {@link #stateScript()}'s output says; fails as {@link #read()} fails. A read cut by its bound on the
     * server (exit 124, or 137: killed at the bound's grace) fails as {@link #readForAction()} fails on a timeout, naming who
     * did not answer ({@link Unanswered}): its output is never taken for a state (the containers' lines may be cut short).
     */
    public SlotsSnapshot parseState(RemoteShell.ExecResult r) {
        return parseState(r, READ_TIMEOUT);
    }

    private SlotsSnapshot parseState(RemoteShell.ExecResult r, Duration bound) {
        if (r.exitCode() == 124 || r.exitCode() == 137) {
            throw new java.util.concurrent.CompletionException(unanswered(r.stdout(), r.stderr(), bound, "the server"));
        }
        String out = r.stdout();
        int at = out.indexOf(CONTAINERS);
        if (at < 0) {
            throw new IllegalStateException("reading the slots on the server failed (exit " + r.exitCode() + ")"
                    + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()));
        }
        LivePart l = livePart(out.substring(0, at), r.exitCode());
        String live = live(l.output(), l.exit(), r.stderr());
        List<ContainerInfo> all = new ArrayList<>();
        for (String line : out.substring(at + CONTAINERS.length()).split("\n")) {
            if (line.startsWith(NO_DOCKER)) {
                throw new IllegalStateException("docker on the server does not answer: " + line.substring(NO_DOCKER.length()).strip());
            }
            if (!line.startsWith(CONTAINER)) {
                continue;
            }
            String[] f = line.substring(CONTAINER.length()).split("\t", -1);
            if (f.length < 9) {
                continue;
            }
            Instant started = null;
            if (!f[5].isEmpty() && !f[5].startsWith("0001-")) {
                try {
                    started = Instant.parse(f[5]);
                } catch (java.time.format.DateTimeParseException ignored) {
                    // left unknown, as the Docker API reader leaves it
                }
            }
            int restarts;
            try {
                restarts = Integer.parseInt(f[6].strip());
            } catch (NumberFormatException e) {
                restarts = 0;
            }
            java.util.Map<String, String> labels = new java.util.HashMap<>();
            if (!env.slots().slotLabel().isEmpty() && !f[7].isEmpty() && !"<no value>".equals(f[7])) {
                labels.put(env.slots().slotLabel(), f[7]);
            }
            if (!env.slots().serviceLabel().isEmpty() && !f[8].isEmpty() && !"<no value>".equals(f[8])) {
                labels.put(env.slots().serviceLabel(), f[8]);
            }
            all.add(new ContainerInfo(f[0], f[1].startsWith("/") ? f[1].substring(1) : f[1], f[2], f[3].isEmpty() ? "unknown" : f[3],
                    f[4], started, restarts, java.util.Map.copyOf(labels)));
        }
        return assemble(live, all);
    }

    /** The live slot command's part of the output: its words (after {@link #BEGIN}, before {@link #LIVE_END}) and exit status. */
    private record LivePart(String output, int exit, boolean ended) {}

    /** {@code head}: the output before {@link #CONTAINERS} (or all of it); {@code exit} the status said when it says none. */
    private static LivePart livePart(String head, int exit) {
        head = head.startsWith(BEGIN + "\n") ? head.substring(BEGIN.length() + 1) : head;
        int end = head.lastIndexOf("\n" + LIVE_END);
        if (end < 0 && !head.startsWith(LIVE_END)) {
            return new LivePart(head, exit, false);
        }
        // the live slot command's own exit status, its output before it
        String rc = head.substring(end + 1 + LIVE_END.length());
        int nl = rc.indexOf('\n');
        try {
            exit = Integer.parseInt((nl < 0 ? rc : rc.substring(0, nl)).strip());
        } catch (NumberFormatException e) {
            // the script's as before
        }
        return new LivePart(head.substring(0, end + 1), exit, true);
    }

    /**
     * A read of the server's state that did not end within its bound: who did not answer, named by how far its output got
     * (never the script's own words) — and, when the live slot command had answered, what it said. {@link #liveSlot()} is
     * the live slot when it was read (Docker is the one that did not answer): an audit entry of the attempt says it, not
     * "unknown".
     */
    public static final class Unanswered extends java.util.concurrent.TimeoutException {
        private final String liveSlot;

        Unanswered(String message, String liveSlot) {
            super(message);
            this.liveSlot = liveSlot;
        }

        /** The live slot the read did get (its live part answered before Docker did not), if it did. */
        public Optional<String> liveSlot() {
            return Optional.ofNullable(liveSlot);
        }
    }

    /**
     * The timeout of a read whose standard output so far is {@code out} and standard error {@code err}: Docker when the live
     * part had ended (it runs beside Docker's, whose lines come only after it) — and then the live command's failure too when
     * it said no slot (nginx down and a paused Docker: both are said, where only Docker was); the live command when the read
     * had begun; else {@code nobody}.
     */
    private Unanswered unanswered(String out, String err, Duration bound, String nobody) {
        String within = " did not answer within " + bound.toSeconds() + " s";
        int at = out.indexOf(CONTAINERS);
        LivePart l = livePart(at < 0 ? out : out.substring(0, at), -1);
        if (at >= 0 || l.ended()) {
            try {
                return new Unanswered("Docker on the server" + within, live(l.output(), l.exit(), err));
            } catch (IllegalStateException noSlot) {
                return new Unanswered("Docker on the server" + within + "; " + noSlot.getMessage(), null);
            }
        }
        return new Unanswered((out.contains(BEGIN) ? liveCommand() : nobody) + within, null);
    }

    private String live(String stdout, int exitCode, String stderr) {
        Matcher m = env.deploy().liveSlotPattern().matcher(stdout);
        if (!m.find()) {
            throw new IllegalStateException("'" + env.deploy().liveSlotCommand() + "' (exit " + exitCode
                    + ") did not say which slot is live" + (stderr.isBlank() ? "" : ": " + stderr.strip()));
        }
        return known(m.group(1));
    }

    /** The live slot as the server's command says it, e.g. from "Active Slot:   blue" of the status command. */
    public CompletableFuture<String> liveSlot() {
        String cmd = "cd " + ShellQuote.path(env.deploy().workdir()) + " && " + env.deploy().liveSlotCommand();
        return shell.exec(cmd, READ_TIMEOUT, RemoteShell.OutputListener.NONE)
                .exceptionallyCompose(e -> named(e, liveCommand()))
                .thenApply(r -> live(r.stdout(), r.exitCode(), r.stderr()));
    }

    /** The largest live-slot file read (a marker or an nginx include, never a log). */
    static final long LIVE_FILE_MAX = 64 * 1024;

    /** The live slot for a poll: from {@code deploy.liveSlotFile} over SFTP when configured (no exec), else the command. */
    public CompletableFuture<String> liveSlotForPoll() {
        String file = env.deploy().liveSlotFile();
        if (file.isEmpty()) {
            return liveSlot();
        }
        return shell.readFile(file, LIVE_FILE_MAX).thenApply(bytes -> {
            Matcher m = env.deploy().liveSlotPattern().matcher(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            if (!m.find()) {
                throw new IllegalStateException(file + " (deploy.liveSlotFile) does not say which slot is live: deploy.liveSlotPattern "
                        + env.deploy().liveSlotPattern().pattern() + " finds nothing in it");
            }
            return known(m.group(1));
        });
    }

    private String known(String found) {
        String slot = found.toLowerCase(Locale.ROOT);
        if (!env.slots().names().contains(slot)) {
            throw new IllegalStateException("the server says the live slot is '" + slot + "', which is not one of "
                    + String.join(", ", env.slots().names()));
        }
        return slot;
    }

    /**
     * Both slots for a poll: the cheap live-slot read ({@link #liveSlotForPoll()}); a read already under way for
     * another poll is shared, not repeated.
     */
    public CompletableFuture<SlotsSnapshot> read() {
        if (containers == null) {
            return readForAction();
        }
        while (true) {
            CompletableFuture<SlotsSnapshot> running = polling.get();
            if (running != null && !running.isDone()) {
                return running.thenApply(s -> s); // a caller's cancel or timeout never cancels the other poll's read
            }
            CompletableFuture<SlotsSnapshot> mine = new CompletableFuture<>();
            if (polling.compareAndSet(running, mine)) {
                try {
                    liveSlotForPoll().thenCombine(containers.containers(selection()), this::assemble).whenComplete((s, e) -> {
                        if (e != null) {
                            mine.completeExceptionally(e);
                        } else {
                            mine.complete(s);
                        }
                    });
                } catch (RuntimeException e) {
                    mine.completeExceptionally(e); // a port that throws instead of failing its future never leaves the shared read open
                }
                return mine.thenApply(s -> s);
            }
        }
    }

    /** Both slots as an action must see them: the live slot from the server's command, never a shared read. */
    public CompletableFuture<SlotsSnapshot> readForAction() {
        if (containers == null) {
            // bounded on the server as the reads inside the lock are (ServerBound.checked): a read the console gave up on
            // (its own timeout, or killed) left its docker CLI, stuck on a paused Docker, and the live command running on
            // the server until they answered — one more at every read. How far the script got when the read times out says
            // who did not answer (never the script's own words): its lines are kept as they come (at most READ_KEPT)
            StringBuilder seen = new StringBuilder();
            StringBuilder seenErr = new StringBuilder();
            return shell.exec(io.dutydesk.core.ServerBound.checked(stateScript()), READ_TIMEOUT, (stderr, line) -> {
                StringBuilder b = stderr ? seenErr : seen;
                synchronized (b) {
                    if (b.length() < READ_KEPT) {
                        b.append(line).append('\n');
                    }
                }
            }).exceptionallyCompose(e -> {
                Throwable x = io.dutydesk.core.Errors.unwrap(e);
                if (!(x instanceof java.util.concurrent.TimeoutException)) {
                    return CompletableFuture.failedFuture(x);
                }
                String out;
                String err;
                synchronized (seen) {
                    out = seen.toString();
                }
                synchronized (seenErr) {
                    err = seenErr.toString();
                }
                return CompletableFuture.failedFuture(unanswered(out, err, READ_TIMEOUT, "the server (over SSH)"));
            }).thenApply(this::parseState);
        }
        return liveSlot().thenCombine(containers.containers(selection()), this::assemble);
    }

    private String liveCommand() {
        return "the live slot command '" + env.deploy().liveSlotCommand() + "' on the server";
    }

    /**
     * The snapshot of {@link #stateScript()}'s output read inside the action lock (ActionScripts.startAnswered): its last
     * line {@code @@DUTYDESK-STATE-RC N} the read's exit status; 124 or 137 (not done within its bound) fails as
     * {@link #readForAction()} fails on a timeout, naming who did not answer; otherwise as {@link #parseState}.
     */
    public SlotsSnapshot parseStateInLock(String out, String rcMark, Duration bound) {
        return parseStateInLock(out, rcMark, null, bound);
    }

    /**
     * {@link #parseStateInLock(String, String, Duration)}, the read's standard error on its lines marked {@code errMark}
     * (replayed after its output): what a read that says nothing of the live slot says why with ("curl: (7) …"), as the
     * read before the lock did.
     */
    public SlotsSnapshot parseStateInLock(String out, String rcMark, String errMark, Duration bound) {
        StringBuilder err = new StringBuilder();
        if (errMark != null && out.contains(errMark)) {
            StringBuilder kept = new StringBuilder();
            for (String line : out.split("\n", -1)) {
                if (line.startsWith(errMark)) {
                    err.append(line, errMark.length(), line.length()).append('\n');
                } else {
                    kept.append(line).append('\n');
                }
            }
            out = kept.toString();
        }
        int at = out.lastIndexOf(rcMark);
        int rc = -1;
        String state = out;
        if (at >= 0) {
            String n = out.substring(at + rcMark.length()).strip();
            try {
                rc = Integer.parseInt(n);
            } catch (NumberFormatException e) {
                rc = -1;
            }
            state = out.substring(0, at);
        }
        // cut by its bound (124, 137): who did not answer, as readForAction names it
        return parseState(new RemoteShell.ExecResult(rc < 0 ? 0 : rc, state, err.toString(), Duration.ZERO), bound);
    }

    /** How long a read of the server's state for an action may take. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A read that timed out, failed as "WHO did not answer within 30 s" (a {@link java.util.concurrent.TimeoutException}):
     * the backend that hung, not the first words of the script sent; any other failure as it is.
     */
    private static <T> CompletableFuture<T> named(Throwable e, String who) {
        return CompletableFuture.failedFuture(io.dutydesk.core.Errors.unwrap(e) instanceof java.util.concurrent.TimeoutException
                ? new java.util.concurrent.TimeoutException(who + " did not answer within " + READ_TIMEOUT.toSeconds() + " s")
                : io.dutydesk.core.Errors.unwrap(e));
    }

    /** How much of a read's output is kept to name who did not answer when it times out (the state is a few KiB). */
    private static final int READ_KEPT = 1 << 16;

    /** Whether {@link #readForAction()} is one exec of {@link #stateScript()} (no Docker client). */
    public boolean onServer() {
        return containers == null;
    }

    /** The environment's containers: by their labels when it names them, else by name. */
    public ContainersPort.Selection selection() {
        String sl = env.slots().slotLabel();
        String svl = env.slots().serviceLabel();
        if (!sl.isEmpty() && !svl.isEmpty()) {
            return new ContainersPort.Selection(List.of(), List.of(sl, svl));
        }
        List<String> names = new ArrayList<>();
        for (String slot : env.slots().names()) {
            for (String service : env.slots().services()) {
                names.add(env.slots().container(service, slot));
            }
        }
        return new ContainersPort.Selection(names, List.of());
    }

    SlotsSnapshot assemble(String live, List<ContainerInfo> all) {
        List<SlotState> slots = new ArrayList<>();
        for (String slot : env.slots().names()) {
            List<ServiceState> services = new ArrayList<>();
            for (String service : env.slots().services()) {
                String name = env.slots().container(service, slot);
                services.add(new ServiceState(service, slot, name, find(all, service, slot, name)));
            }
            slots.add(new SlotState(slot, slot.equals(live), List.copyOf(services)));
        }
        return new SlotsSnapshot(env.name(), clock.instant(), live, env.deploy().liveSlotCommand(), List.copyOf(slots));
    }

    /** By labels when the environment names them, else by the container-name convention. */
    private Optional<ContainerInfo> find(List<ContainerInfo> all, String service, String slot, String name) {
        String sl = env.slots().slotLabel();
        String svl = env.slots().serviceLabel();
        if (!sl.isEmpty() && !svl.isEmpty()) {
            return all.stream().filter(c -> slot.equals(c.labels().get(sl)) && service.equals(c.labels().get(svl))).findFirst();
        }
        return all.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
