package io.dutydesk.core.ports;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Asked when a server's host key is not in known_hosts. Nothing is authenticated before the
 * answer; {@code true} adds the key to known_hosts. A changed key is never asked about: it is refused.
 */
public interface HostKeyPrompt {

    /**
     * @param knownTypes the key types known_hosts already has for this host: empty on a first
     *                   connection; otherwise the server offers a key of another type, a warning
     */
    record UnknownHostKey(String host, String keyType, String fingerprint, Path knownHosts, List<String> knownTypes) {
        public UnknownHostKey {
            knownTypes = List.copyOf(knownTypes);
        }

        /** A first connection: nothing known for this host. */
        public UnknownHostKey(String host, String keyType, String fingerprint, Path knownHosts) {
            this(host, keyType, fingerprint, knownHosts, List.of());
        }

        public boolean firstConnection() {
            return knownTypes.isEmpty();
        }

        public String message() {
            if (!firstConnection()) {
                return "WARNING: host " + host + " is known by its " + String.join(", ", knownTypes)
                        + " key, but now offers a " + keyType + " key, which is not in " + knownHosts + ".\n"
                        + keyType + " key fingerprint is " + fingerprint + ".";
            }
            return "The authenticity of host " + host + " can't be established.\n"
                    + keyType + " key fingerprint is " + fingerprint + ".";
        }
    }

    /** Refuses every unknown key: the CLI's answer (the user adds the key with ssh-keyscan or ssh first). */
    HostKeyPrompt REFUSE = key -> CompletableFuture.completedFuture(false);

    CompletableFuture<Boolean> trust(UnknownHostKey key);
}
