package io.dutydesk.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Turns exceptions into the one-line messages the console shows. */
public final class Errors {
    private Errors() {}

    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * {@code f} bounded by {@code t}: past it, it fails with "WHO did not answer within N s" (a {@link TimeoutException}
     * naming the backend, where a bare one would read "timed out").
     */
    public static <T> java.util.concurrent.CompletableFuture<T> within(java.util.concurrent.CompletableFuture<T> f,
                                                                        java.time.Duration t, String who) {
        return f.orTimeout(t.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable c = unwrap(e);
            return java.util.concurrent.CompletableFuture.failedFuture(c instanceof TimeoutException && c.getMessage() == null
                    ? new TimeoutException(who + " did not answer within " + Math.max(1, Math.round(t.toMillis() / 1000.0)) + " s") : c);
        });
    }

    /**
     * A throwable's message; a file system error that names only its file (Java's AccessDeniedException and
     * NoSuchFileException carry the path alone) gets what happened to it: "/x/audit.jsonl.000001: permission denied".
     */
    private static String message(Throwable t) {
        if (t instanceof java.nio.file.FileSystemException f && f.getReason() == null && f.getFile() != null) {
            String what = f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : f instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : f instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : f instanceof java.nio.file.NotDirectoryException ? "not a folder"
                    : f instanceof java.nio.file.DirectoryNotEmptyException ? "folder not empty"
                    : null;
            return what == null ? f.getMessage() : f.getMessage() + ": " + what;
        }
        return t.getMessage();
    }

    /** A short, human message: the innermost meaningful cause, never a stack trace. */
    public static String describe(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof TimeoutException) {
            return c.getMessage() != null ? c.getMessage() : "timed out";
        }
        String msg = message(c);
        // walk down to a cause that says more (e.g. "Connection refused" under a wrapper)
        Throwable inner = c.getCause();
        while (inner != null && inner != c) {
            String m = message(inner);
            if (m != null && !m.isBlank()) {
                msg = msg == null || msg.isBlank() || msg.contains(inner.getClass().getName()) ? m : msg;
            }
            c = inner;
            inner = inner.getCause();
        }
        if (msg == null || msg.isBlank()) {
            msg = unwrap(t).getClass().getSimpleName();
        }
        msg = msg.strip();
        int nl = msg.indexOf('\n');
        return nl > 0 ? msg.substring(0, nl).strip() : msg;
    }
}
