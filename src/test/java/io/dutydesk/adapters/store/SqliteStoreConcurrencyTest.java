package io.dutydesk.adapters.store;

import io.dutydesk.core.Errors;
import io.dutydesk.core.outbox.BacklogSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Several consoles (two windows and a CLI) opening one fresh store at the same moment: every component
 * of every one of them works, none is left saying SQLITE_BUSY.
 */
class SqliteStoreConcurrencyTest {
    @TempDir
    Path tmp;

    private static final int ROUNDS = 30;
    private static final int OPENERS = 4;

    /** What one console does first with the store: every component brings up its schema and is used at once. */
    private static List<String> firstUse(SqliteStore store, int who) {
        List<String> failures = new ArrayList<>();
        List<CompletableFuture<?>> uses = new ArrayList<>();
        uses.add(new SqliteOutboxHistory(store).append("e" + who, List.of(new BacklogSample(Instant.ofEpochMilli(who),
                1L, 2L, 3L, 4L, BacklogSample.Source.CONSOLE))));
        uses.add(new SqliteAlertHistory(store).lastPoll("e" + who));
        uses.add(new SqliteQueryStore(store).addHistory("e" + who, "up"));
        uses.add(new SqliteVerificationResults(store).load("e" + who));
        for (CompletableFuture<?> f : uses) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                failures.add(Errors.describe(e));
            }
        }
        return failures;
    }

    /**
     * Several consoles opening one fresh file at the same moment: every one gets its connection. Making
     * the file WAL takes the write lock while holding a read lock, where SQLite answers SQLITE_BUSY at
     * once instead of waiting (busy timeout or not); a store made under a private name and linked into
     * place leaves no console that switch to race for.
     */
    @Test
    void freshFileOpenedByManyAtTheSameMomentOpensForEveryone() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
        List<String> failures = new ArrayList<>();
        int rounds = 10 * ROUNDS;
        try {
            for (int round = 0; round < rounds; round++) {
                Path file = tmp.resolve("o" + round).resolve("dutydesk.db");
                CyclicBarrier start = new CyclicBarrier(OPENERS);
                List<Future<String>> all = new ArrayList<>();
                for (int i = 0; i < OPENERS; i++) {
                    all.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        try (java.sql.Connection c = SqliteStore.openConnection(file)) {
                            return null;
                        } catch (Exception e) {
                            return Errors.describe(e);
                        }
                    }));
                }
                for (Future<String> f : all) {
                    String x = f.get(60, TimeUnit.SECONDS);
                    if (x != null) {
                        failures.add("round " + round + ": " + x);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), failures, failures.size() + " failed opens in " + rounds + " rounds");
    }

    @Test
    void freshStoreOpenedByManyAtOnceNeverStaysBusy() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
        List<String> failures = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Path file = tmp.resolve("r" + round).resolve("dutydesk.db");
                CyclicBarrier start = new CyclicBarrier(OPENERS);
                List<Future<List<String>>> all = new ArrayList<>();
                for (int i = 0; i < OPENERS; i++) {
                    int who = i;
                    all.add(pool.submit(() -> {
                        try (SqliteStore store = SqliteStore.open(file)) {
                            start.await(10, TimeUnit.SECONDS);
                            return firstUse(store, who);
                        }
                    }));
                }
                for (Future<List<String>> f : all) {
                    for (String x : f.get(60, TimeUnit.SECONDS)) {
                        failures.add("round " + round + ": " + x);
                    }
                }
                try (SqliteStore store = SqliteStore.open(file)) {
                    int outbox = store.version(SqliteOutboxHistory.COMPONENT).get(10, TimeUnit.SECONDS);
                    int alerts = store.version(SqliteAlertHistory.COMPONENT).get(10, TimeUnit.SECONDS);
                    if (outbox != SqliteOutboxHistory.MIGRATIONS.size() || alerts != SqliteAlertHistory.MIGRATIONS.size()) {
                        failures.add("round " + round + ": schema left at outbox " + outbox + ", alerts " + alerts);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), failures, failures.size() + " failed uses in " + ROUNDS + " rounds");
    }
}
