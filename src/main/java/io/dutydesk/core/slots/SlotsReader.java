package io.dutydesk.core.slots;

import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.ContainersPort.ContainerInfo;
import io.dutydesk.core.ports.RemoteShell;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;

/**
 * Reads both slots from the server: the live slot from the configured command (or, for the polls, the configured
 * {@code deploy.liveSlotFile} over SFTP: no exec), the containers from Docker. Polls that ask while a poll read is
 * under way share it (the Slots pane and the Outbox pane's relay tick together): one read of the server for both.
 */
public final class SlotsReader {
    private final Environment env;
    private final ContainersPort containers;
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

    /** The live slot as the server's command says it, e.g. from "Active Slot:   blue" of the status command. */
    public CompletableFuture<String> liveSlot() {
        String cmd = "cd " + ShellQuote.path(env.deploy().workdir()) + " && " + env.deploy().liveSlotCommand();
        return shell.exec(cmd, Duration.ofSeconds(30), RemoteShell.OutputListener.NONE).thenApply(r -> {
            Matcher m = env.deploy().liveSlotPattern().matcher(r.stdout());
            if (!m.find()) {
                throw new IllegalStateException("'" + env.deploy().liveSlotCommand() + "' (exit " + r.exitCode()
                        + ") did not say which slot is live" + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()));
            }
            return known(m.group(1));
        });
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
        while (true) {
            CompletableFuture<SlotsSnapshot> running = polling.get();
            if (running != null && !running.isDone()) {
                return running.thenApply(s -> s); // a caller's cancel or timeout never cancels the other poll's read
            }
            CompletableFuture<SlotsSnapshot> mine = new CompletableFuture<>();
            if (polling.compareAndSet(running, mine)) {
                liveSlotForPoll().thenCombine(containers.containers(selection()), this::assemble).whenComplete((s, e) -> {
                    if (e != null) {
                        mine.completeExceptionally(e);
                    } else {
                        mine.complete(s);
                    }
                });
                return mine.thenApply(s -> s);
            }
        }
    }

    /** Both slots as an action must see them: the live slot from the server's command, never a shared read. */
    public CompletableFuture<SlotsSnapshot> readForAction() {
        return liveSlot().thenCombine(containers.containers(selection()), this::assemble);
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
