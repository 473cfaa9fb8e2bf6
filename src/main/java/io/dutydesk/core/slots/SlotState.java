package io.dutydesk.core.slots;

import java.util.List;

/** One slot with every configured service. */
public record SlotState(String name, boolean live, List<ServiceState> services) {

    public long readyCount() {
        return services.stream().filter(ServiceState::ready).count();
    }

    public boolean allReady() {
        return !services.isEmpty() && readyCount() == services.size();
    }

    public boolean empty() {
        return services.stream().noneMatch(ServiceState::exists);
    }

    /** e.g. "blue 4/4 healthy". */
    public String summary() {
        return name + " " + readyCount() + "/" + services.size() + " healthy";
    }

    /** Why the slot is not ready: one line per service that is not. */
    public List<String> problems() {
        return services.stream().filter(s -> !s.ready())
                .map(s -> s.containerName() + ": " + s.condition()).toList();
    }
}
