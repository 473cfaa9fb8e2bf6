package io.dutydesk.adapters.store;

import io.dutydesk.core.check.CheckResult;
import io.dutydesk.core.check.CheckRun;
import io.dutydesk.core.check.CheckSource;
import io.dutydesk.core.check.CheckStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs kept per environment and read back as they were: yesterday's, last week's, the one before a time. */
class SqliteCheckHistoryTest {
    @TempDir
    Path tmp;

    static final Instant MON = Instant.parse("2026-03-09T09:00:00Z");

    static CheckRun run(String env, Instant at, CheckStatus outbox, Optional<CheckStatus> prev) {
        return new CheckRun(0, env, at, "alice", List.of(
                new CheckResult("slots", "Live slot", CheckSource.SLOTS, CheckStatus.PASS, "live blue 4/4 healthy", List.of(), "slots",
                        Optional.empty(), Duration.ofMillis(120)),
                new CheckResult("outbox", "Outbox", CheckSource.OUTBOX, outbox, "pending 150 ≥ 100, oldest 40 s",
                        List.of("line one", "line two"), "outbox", prev, Duration.ofMillis(80))),
                prev.isPresent() ? Optional.of(at.minus(Duration.ofDays(1))) : Optional.empty());
    }

    @Test
    void runsAreKeptAcrossOpensPerEnvironmentAndReadBackWhole() throws Exception {
        Path file = tmp.resolve("dutydesk/dutydesk.db");
        CheckRun lastWeek = run("ref", MON.minus(Duration.ofDays(7)), CheckStatus.PASS, Optional.empty());
        CheckRun yesterday = run("ref", MON.minus(Duration.ofDays(1)), CheckStatus.PASS, Optional.of(CheckStatus.PASS));
        CheckRun today = run("ref", MON, CheckStatus.WARN, Optional.of(CheckStatus.PASS));
        try (SqliteStore store = SqliteStore.open(file)) {
            SqliteCheckHistory h = new SqliteCheckHistory(store);
            for (CheckRun r : List.of(lastWeek, yesterday, today, run("prod", MON, CheckStatus.FAIL, Optional.empty()))) {
                h.save(r).get(5, TimeUnit.SECONDS);
            }
        }
        try (SqliteStore store = SqliteStore.open(file)) {
            SqliteCheckHistory h = new SqliteCheckHistory(store);
            assertEquals(3, store.version("checks").get(5, TimeUnit.SECONDS));
            CheckRun back = h.latestAtOrBefore("ref", MON).get(5, TimeUnit.SECONDS).orElseThrow();
            assertEquals(today.withId(back.id()), back, "read back as it was kept");
            assertEquals(List.of("line one", "line two"), back.check("outbox").orElseThrow().details());
            assertEquals(true, back.check("outbox").orElseThrow().changed());
            assertEquals(yesterday.at(), h.latestAtOrBefore("ref", MON.minusSeconds(1)).get(5, TimeUnit.SECONDS).orElseThrow().at(),
                    "yesterday's: the newest before a time");
            assertEquals(lastWeek.at(), h.latestAtOrBefore("ref", MON.minus(Duration.ofDays(6))).get(5, TimeUnit.SECONDS).orElseThrow().at(),
                    "last week's");
            assertEquals(Optional.empty(), h.latestAtOrBefore("ref", MON.minus(Duration.ofDays(30))).get(5, TimeUnit.SECONDS));
            assertEquals(List.of(today.at(), yesterday.at()), h.between("ref", MON.minus(Duration.ofDays(2)), MON.plusSeconds(1))
                    .get(5, TimeUnit.SECONDS).stream().map(CheckRun::at).toList(), "newest first");
            assertEquals(CheckStatus.FAIL, h.latestAtOrBefore("prod", MON).get(5, TimeUnit.SECONDS).orElseThrow().worst());
            assertEquals(1, h.prune(MON.minus(Duration.ofDays(3))).get(5, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), h.latestAtOrBefore("ref", MON.minus(Duration.ofDays(6))).get(5, TimeUnit.SECONDS));
        }
    }
}
