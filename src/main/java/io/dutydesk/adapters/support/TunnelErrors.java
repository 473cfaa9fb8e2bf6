package io.dutydesk.adapters.support;

import io.dutydesk.core.Errors;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * Names the server-side address in errors of a tunnelled client. When nothing listens there,
 * sshd refuses the forward and the client only sees its local socket closed ("end of stream",
 * "no response"): that is said plainly instead.
 */
public final class TunnelErrors {
    private TunnelErrors() {}

    public static CompletionException wrap(String where, Throwable t) {
        Throwable e = Errors.unwrap(t);
        if (closedWithoutAnswer(e)) {
            return new CompletionException(new IOException(where + " on the server does not answer "
                    + "(the SSH forward could not connect: is it running?)", e));
        }
        return new CompletionException(new IOException(where + ": " + Errors.describe(e), e));
    }

    /** The client saw its socket close without an answer (the far side could not be reached). */
    public static boolean closedWithoutAnswer(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof EOFException) {
                return true;
            }
            String name = c.getClass().getSimpleName();
            String msg = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (name.equals("NoHttpResponseException") || msg.contains("unexpected end of stream")
                    || msg.contains("received no bytes") || msg.contains("failed to respond")
                    || (c instanceof SocketException && msg.contains("connection reset"))) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
