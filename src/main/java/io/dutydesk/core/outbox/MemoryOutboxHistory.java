package io.dutydesk.core.outbox;

import io.dutydesk.core.ports.OutboxHistory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** History kept in memory only (no local store available: tests, previews). */
public final class MemoryOutboxHistory implements OutboxHistory {
    private record Row(String environment, BacklogSample sample) {}

    private final List<Row> rows = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Void> append(String environment, List<BacklogSample> samples) {
        for (BacklogSample s : samples) {
            rows.removeIf(r -> r.environment.equals(environment) && r.sample.at().equals(s.at()) && r.sample.source() == s.source());
            rows.add(new Row(environment, s));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<List<BacklogSample>> since(String environment, Instant from) {
        return CompletableFuture.completedFuture(rows.stream().filter(r -> r.environment.equals(environment) && !r.sample.at().isBefore(from))
                .map(Row::sample).sorted(Comparator.comparing(BacklogSample::at)).toList());
    }

    @Override
    public synchronized CompletableFuture<Integer> prune(Instant before) {
        int n = rows.size();
        rows.removeIf(r -> r.sample.at().isBefore(before));
        return CompletableFuture.completedFuture(n - rows.size());
    }
}
