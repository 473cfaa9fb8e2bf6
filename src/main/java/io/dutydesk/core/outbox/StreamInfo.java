package io.dutydesk.core.outbox;

import java.time.Instant;
import java.util.List;

/**
 * The Redis stream the relay writes to: its length and its consumer groups.
 *
 * @param missingGroups groups named in the environments file that the stream does not have
 */
public record StreamInfo(Instant takenAt, String key, long length, List<Group> groups, List<String> missingGroups) {

    public StreamInfo {
        groups = List.copyOf(groups);
        missingGroups = List.copyOf(missingGroups);
    }

    /**
     * One consumer group (XINFO GROUPS).
     *
     * @param pending entries delivered but not acknowledged
     * @param lag     entries not yet delivered; null when Redis cannot tell (after XDEL/XTRIM, Redis before 7)
     */
    public record Group(String name, long consumers, long pending, Long lag, String lastDeliveredId,
                        List<Consumer> consumerList) {
        public Group {
            consumerList = List.copyOf(consumerList);
        }
    }

    /** One consumer of a group (XINFO CONSUMERS): its pending entries and how long it has been idle. */
    public record Consumer(String name, long pending, long idleMs) {}

    /** The largest lag of the groups, or null when none is known. */
    public Long maxLag() {
        return groups.stream().map(Group::lag).filter(java.util.Objects::nonNull).max(Long::compare).orElse(null);
    }

    public long totalPending() {
        return groups.stream().mapToLong(Group::pending).sum();
    }
}
