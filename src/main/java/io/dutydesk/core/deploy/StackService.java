package io.dutydesk.core.deploy;

import io.dutydesk.core.ports.ContainersPort.ContainerInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One instance of a service of a single stack: the host it runs on (an environment may have several), its container,
 * and what the engine says of it; {@code info} empty when the container is missing.
 */
public record StackService(String service, String host, String container, Optional<ContainerInfo> info) {

    public boolean ready() {
        return info.map(ContainerInfo::healthyOrUnchecked).orElse(false);
    }

    /** Docker's state: running, exited, restarting …; "missing" without a container. */
    public String state() {
        return info.map(ContainerInfo::state).orElse("missing");
    }

    /** healthy, unhealthy, starting, "none" without a health check; "-" without a container. */
    public String health() {
        return info.map(ContainerInfo::health).orElse("-");
    }

    /** The image's tag; "missing" without a container. */
    public String version() {
        return info.map(ContainerInfo::version).orElse("missing");
    }

    public Optional<Duration> uptime(Instant now) {
        return info.filter(ContainerInfo::running).flatMap(i -> Optional.ofNullable(i.startedAt())).map(t -> Duration.between(t, now));
    }

    public int restarts() {
        return info.map(ContainerInfo::restarts).orElse(0);
    }

    /** "healthy", "unhealthy", "starting", "running", "exited", "missing" … */
    public String condition() {
        if (info.isEmpty()) {
            return "missing";
        }
        ContainerInfo c = info.get();
        return !c.running() ? c.state() : "none".equals(c.health()) ? "running" : c.health();
    }
}
