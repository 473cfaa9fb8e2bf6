package io.dutydesk.core.deploy;

import java.time.Instant;
import java.util.List;

/** A single stack as read at one moment: every configured service's instances, on whatever hosts they run. */
public record StackSnapshot(String environment, String engine, Instant takenAt, List<StackService> services) {
    /** The words of {@link #version()} when the services do not run one version. */
    public static final String MIXED = "mixed";
    public static final String MISSING = "missing";

    public StackSnapshot {
        services = List.copyOf(services);
    }

    /** The version every service runs; "missing" when one has no container, "mixed" when they differ. */
    public String version() {
        if (services.isEmpty() || services.stream().anyMatch(s -> s.info().isEmpty())) {
            return MISSING;
        }
        List<String> v = services.stream().map(StackService::version).distinct().toList();
        return v.size() == 1 ? v.get(0) : MIXED;
    }

    public boolean allReady() {
        return !services.isEmpty() && services.stream().allMatch(StackService::ready);
    }

    public long readyCount() {
        return services.stream().filter(StackService::ready).count();
    }

    static final String HEALTHY = " healthy";

    /** e.g. "1/2 healthy": how many instances are ready, of how many. */
    public String health() {
        return readyCount() + "/" + services.size() + HEALTHY;
    }

    /** e.g. "2/2 healthy on v1.0.0". */
    public String summary() {
        return health() + " on " + version();
    }

    /** One line per instance that is not ready. */
    public List<String> problems() {
        return services.stream().filter(s -> !s.ready()).map(s -> s.container() + ": " + s.condition()).toList();
    }

    public List<String> hosts() {
        return services.stream().map(StackService::host).distinct().toList();
    }
}
