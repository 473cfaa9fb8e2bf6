package io.dutydesk.core.doctor;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outbox table as the server has it.
 *
 * @param tableExists  the table the file names exists
 * @param canSelect    the configured role may read it
 * @param columns      its columns, name → type
 * @param allowed      the status values its CHECK constraints on the status column (or the column's enum type) allow;
 *                     empty when nothing declares them
 * @param rowsWith     for the configured status values {@code allowed} does not settle: whether a row has it; absent
 *                     when it could not be asked (no status column)
 */
public record OutboxSchema(boolean tableExists, boolean canSelect, Map<String, String> columns, Optional<List<String>> allowed,
                           Map<String, Boolean> rowsWith) {
    public OutboxSchema {
        columns = Map.copyOf(columns);
        rowsWith = Map.copyOf(rowsWith);
        allowed = allowed.map(List::copyOf);
    }

    public static OutboxSchema noTable() {
        return new OutboxSchema(false, false, Map.of(), Optional.empty(), Map.of());
    }
}
