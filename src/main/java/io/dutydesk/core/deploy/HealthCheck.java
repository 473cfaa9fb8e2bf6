package io.dutydesk.core.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The team's health check as it answered: its exit code (0: every service healthy, the script's word) and the per-service
 * result read from its lines ("(check mark) app: healthy", "worker: unhealthy", "app ... OK").
 */
public record HealthCheck(String command, int exitCode, List<ServiceResult> services, List<String> lines) {
    public record ServiceResult(String service, boolean healthy, String detail) {}

    public HealthCheck {
        services = List.copyOf(services);
        lines = List.copyOf(lines);
    }

    public boolean healthy() {
        return exitCode == 0 && services.stream().allMatch(ServiceResult::healthy);
    }

    private static final Pattern LINE = Pattern.compile("^\\W*?([A-Za-z0-9][A-Za-z0-9_.-]*)\\s*[:=]\\s*(.+)$");

    /** The first line naming each of {@code known} services; healthy when it says healthy/ok/up/a check mark and not un-/a cross. */
    public static HealthCheck parse(String command, int exitCode, String output, List<String> known) {
        List<String> lines = output.lines().toList();
        List<ServiceResult> out = new ArrayList<>();
        for (String service : known) {
            for (String line : lines) {
                Matcher m = LINE.matcher(line.strip());
                if (m.matches() && m.group(1).equals(service)) {
                    String detail = m.group(2).strip();
                    String l = (line + " ").toLowerCase(Locale.ROOT);
                    boolean bad = l.contains("\u274C") || l.contains("\u2717") || l.contains("unhealthy") || l.contains("not ")
                            || l.contains("fail") || l.contains("down");
                    boolean good = l.contains("\u2705") || l.contains("healthy") || l.contains(" ok") || l.contains(" up");
                    out.add(new ServiceResult(service, good && !bad, detail));
                    break;
                }
            }
        }
        return new HealthCheck(command, exitCode, out, lines);
    }
}
