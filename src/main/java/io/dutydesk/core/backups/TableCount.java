package io.dutydesk.core.backups;

/** Rows of one table in the scratch restore and in the live database (null: the table is not there). */
public record TableCount(String table, Long scratch, Long live) {
    public boolean differs() {
        return scratch == null || !scratch.equals(live);
    }

    public String describe() {
        return table + ": backup " + (scratch == null ? "—" : scratch) + ", live " + (live == null ? "—" : live)
                + (differs() ? (scratch != null && live != null ? String.format(" (%+d)", scratch - live) : " (differs)") : "");
    }
}
