package io.dutydesk.it;

import io.dutydesk.app.Connector;
import io.dutydesk.app.LocalStore;
import io.dutydesk.app.OtherEnvironmentChecks;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;
import io.dutydesk.core.ports.HostKeyPrompt;
import io.dutydesk.core.ports.SecretPrompt;
import io.dutydesk.testing.MemoryAuditLog;
import io.dutydesk.testing.RefHost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Today pane's "Run all environments" against the reference host: every environment of its file checked over a
 * connection of its own and kept in the store (what the pane's row per environment then reads); an environment whose
 * SSH port answers nothing gets a run whose every check is UNKNOWN (never PASS).
 */
class RunAllChecksIT {
    @TempDir
    Path tmp;

    @Test
    void everyEnvironmentIsCheckedOverItsOwnConnectionAndOneNotReachedFailsWithTheReason() throws Exception {
        Map<String, Environment> envs = new LinkedHashMap<>(EnvironmentsFile.load(RefHost.config()).environments());
        assertTrue(envs.size() >= 2, "the reference host's file has several environments: " + envs.keySet());
        // a copy of the first one whose SSH port nothing listens on (the refhost's ports are 24xxx; 1 is closed)
        Environment first = envs.values().iterator().next();
        try (LocalStore store = LocalStore.open(tmp.resolve("store.db"));
             OtherEnvironmentChecks all = new OtherEnvironmentChecks(withUnreachable(envs, first), new Connector(
                     name -> java.util.concurrent.CompletableFuture.completedFuture(Optional.empty()), store),
                     HostKeyPrompt.REFUSE, SecretPrompt.NONE, store.alertHistory(), store.checkHistory(), MemoryAuditLog.create(),
                     "run-all-it", Clock.systemUTC())) {
            for (String name : envs.keySet()) {
                CheckRun r = all.apply(name).get(4, TimeUnit.MINUTES);
                assertEquals(name, r.env());
                assertTrue(!r.checks().isEmpty(), name + ": checks ran");
                // kept: the pane's row for this environment reads it from the store
                Optional<CheckRun> kept = store.checkHistory().latestAtOrBefore(name, r.at().plusSeconds(1)).get(30, TimeUnit.SECONDS);
                assertTrue(kept.isPresent(), name + " kept");
                assertEquals(r.worst(), kept.get().worst(), name);
            }
            // not reached: the run still ends (a check never passes on what it could not read) and every check is UNKNOWN
            CheckRun down = all.apply("unreachable").get(2, TimeUnit.MINUTES);
            assertEquals(io.dutydesk.core.check.CheckStatus.UNKNOWN, down.worst(), down.summary());
            assertTrue(down.checks().stream().allMatch(c -> c.status() == io.dutydesk.core.check.CheckStatus.UNKNOWN),
                    "nothing passes on a host not reached: " + down.checks());
            assertThrows(Exception.class, () -> all.apply("no-such-env").get(10, TimeUnit.SECONDS), "not in the file");
        }
    }

    static Map<String, Environment> withUnreachable(Map<String, Environment> envs, Environment like) {
        Map<String, Environment> m = new LinkedHashMap<>(envs);
        Environment.Ssh s = like.ssh();
        m.put("unreachable", new Environment("unreachable", like.description(), new Environment.Ssh(s.host(), 1, s.user(),
                s.identity(), s.agent(), s.knownHosts(), s.jump(), s.connectTimeout(), s.commandTimeout()), like.docker(),
                like.postgres(), like.redis(), like.prometheus(), like.alertmanager(), like.backups(), like.deploy(), like.slots(),
                like.outbox(), like.thresholds(), like.poll(), like.metrics(), like.alerts(), like.checks()));
        return m;
    }
}
