package io.dutydesk.core.alerts;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Prometheus's generator URL: {@code http://prom:9090/graph?g0.expr=up%7Bjob%3D%22services%22%7D+%3D%3D+0&g0.tab=1}. */
public final class GeneratorUrls {
    private GeneratorUrls() {}

    public static Optional<String> expression(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            String q = URI.create(url).getRawQuery();
            if (q == null) {
                return Optional.empty();
            }
            for (String part : q.split("&")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).equals("g0.expr")) {
                    String v = URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                    return v.isBlank() ? Optional.empty() : Optional.of(v);
                }
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
