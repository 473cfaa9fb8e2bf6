package io.dutydesk.adapters.backups;

import io.dutydesk.core.Backend;
import io.dutydesk.core.MisconfiguredException;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.BackendProbe;
import io.dutydesk.core.ports.RemoteShell;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The server's backup folders, read over SFTP. */
public final class BackupsAdapter implements BackendProbe {
    private final Environment.Backups config;
    private final RemoteShell shell;

    public BackupsAdapter(Environment.Backups config, RemoteShell shell) {
        this.config = config;
        this.shell = shell;
    }

    @Override
    public Backend backend() {
        return Backend.BACKUPS;
    }

    /** Every configured folder must be listable. */
    @Override
    public CompletableFuture<Void> ping() {
        List<CompletableFuture<List<RemoteShell.RemoteFile>>> all = new ArrayList<>();
        for (String folder : config.folders()) {
            all.add(shell.list(folder));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionallyCompose(e -> {
            Throwable t = io.dutydesk.core.Errors.unwrap(e);
            return CompletableFuture.failedFuture(MisconfiguredException.pathNotThere(t) ? new MisconfiguredException(t.getMessage()
                    + " — the server answers, but the folder backups.folders names is not there (or not readable) for this user", t) : t);
        });
    }
}
