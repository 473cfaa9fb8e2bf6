package io.dutydesk.adapters.ssh;

import io.dutydesk.core.ports.RemoteShell.OutputListener;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Splits a byte stream into lines for the listener and keeps the whole text (bounded). */
final class LineCollector {
    private static final int MAX_KEPT = 1 << 20;
    private final boolean stderr;
    private final OutputListener listener;
    private final ByteArrayOutputStream all = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineCollector(boolean stderr, OutputListener listener) {
        this.stderr = stderr;
        this.listener = listener;
    }

    void accept(byte[] b, int n) {
        if (all.size() < MAX_KEPT) {
            all.write(b, 0, Math.min(n, MAX_KEPT - all.size()));
        }
        for (int i = 0; i < n; i++) {
            if (b[i] == '\n') {
                emit();
            } else {
                line.write(b[i]);
            }
        }
    }

    private void emit() {
        String s = line.toString(StandardCharsets.UTF_8);
        if (s.endsWith("\r")) {
            s = s.substring(0, s.length() - 1);
        }
        line.reset();
        listener.line(stderr, s);
    }

    /** Reads what is available now without blocking; true if anything was read. */
    boolean drain(java.io.InputStream in, byte[] buf) throws java.io.IOException {
        boolean any = false;
        while (in.available() > 0) {
            int n = in.read(buf, 0, Math.min(buf.length, in.available()));
            if (n <= 0) {
                break;
            }
            accept(buf, n);
            any = true;
        }
        return any;
    }

    void finish() {
        if (line.size() > 0) {
            emit();
        }
    }

    String text() {
        return all.toString(StandardCharsets.UTF_8);
    }
}
