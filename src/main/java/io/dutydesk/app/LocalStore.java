package io.dutydesk.app;

import io.dutydesk.adapters.store.SqliteAlertHistory;
import io.dutydesk.adapters.store.SqliteCheckHistory;
import io.dutydesk.adapters.store.SqliteOutboxHistory;
import io.dutydesk.adapters.store.SqliteQueryStore;
import io.dutydesk.adapters.store.SqliteStore;
import io.dutydesk.adapters.store.SqliteVerificationResults;
import io.dutydesk.core.metrics.QueryStore;
import io.dutydesk.core.ports.AlertHistory;
import io.dutydesk.core.ports.OutboxHistory;
import io.dutydesk.core.ports.VerificationResults;

import java.nio.file.Path;

/**
 * The one local store of a process (the window, or one CLI run) and its components: every pane and
 * every environment's adapters use these, so the file is opened once (one connection, one thread).
 * Nothing is opened before a component is first used.
 */
public final class LocalStore implements AutoCloseable {
    private final SqliteStore store;
    private final OutboxHistory outbox;
    private final AlertHistory alerts;
    private final QueryStore queries;
    private final VerificationResults verifications;
    private final io.dutydesk.core.ports.CheckHistory checks;

    private LocalStore(SqliteStore store) {
        this.store = store;
        this.outbox = new SqliteOutboxHistory(store);
        this.alerts = new SqliteAlertHistory(store);
        this.queries = new SqliteQueryStore(store);
        this.verifications = new SqliteVerificationResults(store);
        this.checks = new SqliteCheckHistory(store);
    }

    public static LocalStore open(Path file) {
        return new LocalStore(SqliteStore.open(file));
    }

    /** At $DUTYDESK_STORE, else $XDG_DATA_HOME/dutydesk/dutydesk.db. */
    public static LocalStore openDefault() {
        return open(SqliteStore.defaultFile(System::getenv));
    }

    public Path file() {
        return store.file();
    }

    public OutboxHistory outboxHistory() {
        return outbox;
    }

    public AlertHistory alertHistory() {
        return alerts;
    }

    public QueryStore queryStore() {
        return queries;
    }

    public VerificationResults verifications() {
        return verifications;
    }

    /** The morning checklist's runs (component {@code checks}). */
    public io.dutydesk.core.ports.CheckHistory checkHistory() {
        return checks;
    }

    @Override
    public void close() {
        store.close();
    }
}
