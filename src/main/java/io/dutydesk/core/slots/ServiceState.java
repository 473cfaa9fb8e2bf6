package io.dutydesk.core.slots;

import io.dutydesk.core.ports.ContainersPort.ContainerInfo;

import java.util.Optional;

/** One service in one slot: its container, or its absence. */
public record ServiceState(String service, String slot, String containerName, Optional<ContainerInfo> container) {

    public boolean exists() {
        return container.isPresent();
    }

    public boolean ready() {
        return container.map(ContainerInfo::healthyOrUnchecked).orElse(false);
    }

    /** "healthy", "unhealthy", "starting", "running", "exited", "missing" … */
    public String condition() {
        if (container.isEmpty()) {
            return "missing";
        }
        ContainerInfo c = container.get();
        if (!c.running()) {
            return c.state();
        }
        return "none".equals(c.health()) ? "running" : c.health();
    }
}
