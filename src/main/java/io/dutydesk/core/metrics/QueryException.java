package io.dutydesk.core.metrics;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus rejected a query ({@code bad_data}: a syntax error; {@code execution}, {@code timeout},
 * {@code canceled}...). The message is Prometheus's own; {@link #line()}/{@link #column()} point at the
 * position it names (1-based), when it names one.
 */
public final class QueryException extends RuntimeException {
    private static final Pattern POSITION = Pattern.compile("(\\d+):(\\d+)(?:-\\d+:\\d+)?: ");

    private final String errorType;
    private final String prometheusMessage;
    private final int status;

    public QueryException(String errorType, String prometheusMessage, int status) {
        super(prometheusMessage + (errorType == null || errorType.isEmpty() ? "" : " (" + errorType + ")"));
        this.errorType = errorType == null ? "" : errorType;
        this.prometheusMessage = prometheusMessage;
        this.status = status;
    }

    public String errorType() {
        return errorType;
    }

    public String prometheusMessage() {
        return prometheusMessage;
    }

    public int status() {
        return status;
    }

    /** A syntax error or a query Prometheus will never run (as opposed to one that timed out or failed while running). */
    public boolean rejected() {
        return errorType.equals("bad_data") || status == 400;
    }

    public Optional<Integer> line() {
        Matcher m = POSITION.matcher(prometheusMessage);
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    public Optional<Integer> column() {
        Matcher m = POSITION.matcher(prometheusMessage);
        return m.find() ? Optional.of(Integer.parseInt(m.group(2))) : Optional.empty();
    }
}
