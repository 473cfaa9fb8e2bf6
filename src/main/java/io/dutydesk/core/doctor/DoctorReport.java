package io.dutydesk.core.doctor;

import java.time.Instant;
import java.util.List;

/** Every check of one environment, in the order {@link DoctorService} defines. */
public record DoctorReport(String env, Instant at, List<Check> checks) {
    public DoctorReport {
        checks = List.copyOf(checks);
    }

    public boolean ok() {
        return checks.stream().allMatch(Check::ok);
    }

    public long problems() {
        return checks.stream().filter(c -> !c.ok()).count();
    }
}
