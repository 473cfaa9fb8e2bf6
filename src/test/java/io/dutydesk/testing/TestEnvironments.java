package io.dutydesk.testing;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Environments for view-model and pane tests, polled fast. */
public final class TestEnvironments {
    private TestEnvironments() {}

    public static Map<String, Environment> fastPolling(Duration interval) {
        EnvironmentsFile f = EnvironmentsFile.parse(Path.of("test.yaml"), """
                environments:
                  ref:
                    description: reference host
                    ssh: { host: 127.0.0.1, port: 24022, user: dutydesk-deploy }
                  prod:
                    description: production
                    ssh: { host: n8n-server, user: deploy }
                """);
        Map<String, Environment> out = new LinkedHashMap<>();
        f.environments().forEach((k, e) -> out.put(k, e.withPoll(new Environment.Poll(interval, interval.multipliedBy(4),
                Duration.ofSeconds(2)))));
        return out;
    }
}
