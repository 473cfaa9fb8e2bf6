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

/** Reads both slots from the server: the live slot from the configured command, the containers from Docker. */
public final class SlotsReader {
    private final Environment env;
    private final ContainersPort containers;
    private final RemoteShell shell;
    private final Clock clock;

    public SlotsReader(Environment env, ContainersPort containers, RemoteShell shell, Clock clock) {
        this.env = env;
        this.containers = containers;
        this.shell = shell;
        this.clock = clock;
    }

    /** The live slot as the server says it, e.g. from "Active Slot:   blue" of the status command. */
    public CompletableFuture<String> liveSlot() {
        String cmd = "cd " + ShellQuote.path(env.deploy().workdir()) + " && " + env.deploy().liveSlotCommand();
        return shell.exec(cmd, Duration.ofSeconds(30), RemoteShell.OutputListener.NONE).thenApply(r -> {
            Matcher m = env.deploy().liveSlotPattern().matcher(r.stdout());
            if (!m.find()) {
                throw new IllegalStateException("'" + env.deploy().liveSlotCommand() + "' (exit " + r.exitCode()
                        + ") did not say which slot is live" + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()));
            }
            String slot = m.group(1).toLowerCase(Locale.ROOT);
            if (!env.slots().names().contains(slot)) {
                throw new IllegalStateException("the server says the live slot is '" + slot + "', which is not one of "
                        + String.join(", ", env.slots().names()));
            }
            return slot;
        });
    }

    public CompletableFuture<SlotsSnapshot> read() {
        return liveSlot().thenCombine(containers.containers(), this::assemble);
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
