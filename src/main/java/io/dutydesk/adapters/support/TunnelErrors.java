package io.dutydesk.adapters.support;

import io.dutydesk.core.Errors;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * Names the server-side address in errors of a tunnelled client. When nothing listens there,
 * sshd refuses the channel: the client's own wording ("The connection attempt failed.") gives way
 * to the channel's reason; a client that only sees its stream closed ("end of stream", "no
 * response") is told so plainly.
 */
public final class TunnelErrors {
    private TunnelErrors() {}

    public static CompletionException wrap(String where, Throwable t) {
        Throwable e = Errors.unwrap(t);
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SshSessionException ssh) { // the SSH connection failed, not the backend behind it
                return new CompletionException(ssh);
            }
        }
        Throwable channel = channelFailure(e);
        if (channel != null) {
            return new CompletionException(new IOException(where + ": " + channel.getMessage(), e));
        }
        if (closedWithoutAnswer(e)) {
            return new CompletionException(new IOException(where + " on the server does not answer "
                    + "(the SSH forward could not connect: is it running?)", e));
        }
        return new CompletionException(new IOException(where + ": " + Errors.describe(e), e));
    }

    /**
     * The failure of a {@link ChannelSocket} under the client's wrapper, if that is what failed: its
     * channel could not be opened (a {@link java.net.ConnectException}) or a read timed out.
     */
    static Throwable channelFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if ((c instanceof java.net.ConnectException || c instanceof java.net.SocketTimeoutException)
                    && c.getMessage() != null && !c.getMessage().isBlank()) {
                return c;
            }
        }
        return null;
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
