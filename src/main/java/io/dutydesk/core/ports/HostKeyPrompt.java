package io.dutydesk.core.ports;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Asked when a server's host key is not in known_hosts. Nothing is authenticated before the
 * answer; {@code true} adds the key to known_hosts. A changed key is never asked about: it is refused.
 */
public interface HostKeyPrompt {

    record UnknownHostKey(String host, String keyType, String fingerprint, Path knownHosts) {
        public String message() {
            return "The authenticity of host " + host + " can't be established.\n"
                    + keyType + " key fingerprint is " + fingerprint + ".";
        }
    }

    /** Refuses every unknown key: the CLI's answer (the user adds the key with ssh-keyscan or ssh first). */
    HostKeyPrompt REFUSE = key -> CompletableFuture.completedFuture(false);

    CompletableFuture<Boolean> trust(UnknownHostKey key);
}
