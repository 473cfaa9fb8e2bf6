package io.dutydesk.adapters.support;

import io.dutydesk.core.Errors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TunnelErrorsTest {
    /** The SSH server refused the connection: the backend behind it is not blamed (it was named as refusing). */
    @Test
    void anSshConnectionThatFailedIsSaidAsSuchNotAsTheBackendsRefusal() {
        var ssh = new SshSessionException("ssh deploy@prod:22: Connection refused", new ConnectException("Connection refused"));
        assertEquals("ssh deploy@prod:22: Connection refused",
                Errors.describe(TunnelErrors.wrap("Prometheus 127.0.0.1:9090", new CompletionException(new IOException("opening", ssh)))));
        // nothing listening at the backend's port on the server: sshd refuses the channel, the backend is named
        assertEquals("Prometheus 127.0.0.1:9090: Connection refused",
                Errors.describe(TunnelErrors.wrap("Prometheus 127.0.0.1:9090", new ConnectException("Connection refused"))));
    }
}
