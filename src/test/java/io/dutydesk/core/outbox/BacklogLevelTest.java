package io.dutydesk.core.outbox;

import io.dutydesk.core.config.Environment;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BacklogLevelTest {
    final Environment.Thresholds t = new Environment.Thresholds(100, 1000, 1000, 300, 1800);

    static OutboxBacklog backlog(long pending, Long oldestAge) {
        return new OutboxBacklog(Instant.now(), pending, 0, 0, 0L, oldestAge, List.of(), true, "");
    }

    @Test
    void theWorseOfCountAndAgeDecides() {
        assertEquals(new BacklogLevel.Verdict(BacklogLevel.OK, "fine"), BacklogLevel.judge(backlog(99, 299L), t));
        assertEquals(BacklogLevel.WARN, BacklogLevel.judge(backlog(100, 10L), t).level());
        assertEquals(new BacklogLevel.Verdict(BacklogLevel.WARN, "watch it: oldest pending 5 min (≥ 5 min)"),
                BacklogLevel.judge(backlog(3, 300L), t));
        assertEquals(new BacklogLevel.Verdict(BacklogLevel.CRITICAL, "act now: oldest pending 2 h (≥ 30 min)"),
                BacklogLevel.judge(backlog(3, 7200L), t));
        assertEquals(new BacklogLevel.Verdict(BacklogLevel.CRITICAL, "act now (≥ 1000)"), BacklogLevel.judge(backlog(5000, 400L), t),
                "the count's reason when it is at least as bad");
        assertEquals(BacklogLevel.OK, BacklogLevel.judge(backlog(0, null), t).level(), "nothing pending, no age");
    }
}
