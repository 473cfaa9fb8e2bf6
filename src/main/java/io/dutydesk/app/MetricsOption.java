package io.dutydesk.app;

import io.dutydesk.adapters.telemetry.PrometheusTelemetry;
import io.dutydesk.core.telemetry.Telemetry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code --metrics-port N} (or {@code --metrics-port=N}), for the window and every CLI verb: serves the
 * process's own metrics ({@code dutydesk_*}) at {@code http://127.0.0.1:N/metrics}, the loopback address
 * only; 0 takes a free port (printed). Off by default: without it the process opens no TCP port.
 */
final class MetricsOption {
    static final String OPTION = "--metrics-port";

    /** The arguments without the option, and its port if given. */
    record Parsed(OptionalInt port, List<String> rest) {}

    static final class BadOption extends RuntimeException {
        BadOption(String message) {
            super(message);
        }
    }

    private MetricsOption() {}

    static Parsed extract(List<String> args) {
        List<String> rest = new ArrayList<>();
        OptionalInt port = OptionalInt.empty();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value;
            if (a.equals(OPTION)) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("-")) {
                    throw new BadOption(OPTION + " needs a port number (1-65535, or 0 for a free one)");
                }
                value = args.get(++i);
            } else if (a.startsWith(OPTION + "=")) {
                value = a.substring(OPTION.length() + 1);
            } else {
                rest.add(a);
                continue;
            }
            if (port.isPresent()) {
                throw new BadOption(OPTION + " given twice");
            }
            port = OptionalInt.of(parsePort(value));
        }
        return new Parsed(port, List.copyOf(rest));
    }

    static int parsePort(String value) {
        int p;
        try {
            p = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadOption(OPTION + " '" + value + "' is not a port number (1-65535, or 0 for a free one)");
        }
        if (p < 0 || p > 65535) {
            throw new BadOption(OPTION + " " + p + " is out of range (1-65535, or 0 for a free one)");
        }
        return p;
    }

    /** Starts the endpoint and makes it the process's telemetry; a port that cannot be bound is a {@link BadOption}. */
    static PrometheusTelemetry start(int port) {
        try {
            PrometheusTelemetry t = PrometheusTelemetry.start(port);
            Telemetry.install(t);
            return t;
        } catch (IOException | RuntimeException e) {
            throw new BadOption(OPTION + " " + port + ": cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + ")");
        }
    }
}
