package io.dutydesk.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who acts, for the audit log: local user@host. */
final class Actor {
    private Actor() {}

    static String local() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/etc/hostname")).strip();
            } catch (IOException e) {
                host = "localhost";
            }
        }
        return System.getProperty("user.name") + "@" + host;
    }
}
