package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import io.dutydesk.core.ports.HostKeyPrompt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * Strict known_hosts check. A known key passes; a changed key is refused; an unknown key is
 * shown to {@link HostKeyPrompt} with its SHA256 fingerprint and passes only if accepted, in
 * which case it is appended to known_hosts. JSch calls this during key exchange, before any
 * authentication.
 */
final class KnownHostsVerifier implements HostKeyRepository {
    private final HostKeyRepository known;
    private final Path file;
    private final HostKeyPrompt prompt;
    private final Duration promptTimeout;
    private volatile HostKeyException refusal;

    KnownHostsVerifier(Path file, HostKeyPrompt prompt, Duration promptTimeout) throws JSchException {
        this.file = file;
        this.prompt = prompt;
        this.promptTimeout = promptTimeout;
        JSch own = new JSch();
        if (Files.exists(file)) {
            own.setKnownHosts(file.toString());
        }
        this.known = own.getHostKeyRepository();
    }

    /** The key types known_hosts has for {@code host} (as JSch names it: "[h]:p" or an alias). */
    Set<String> knownTypes(String host) {
        Set<String> out = new LinkedHashSet<>();
        HostKey[] keys = known.getHostKey(host, null);
        if (keys != null) {
            for (HostKey k : keys) {
                out.add(k.getType());
            }
        }
        return out;
    }

    /** Why the last connection's key was refused, if it was. */
    HostKeyException refusal() {
        return refusal;
    }

    @Override
    public int check(String host, byte[] key) {
        refusal = null;
        int r = known.check(host, key);
        String type = keyType(key);
        String fp = fingerprint(key);
        if (r == OK) {
            return OK;
        }
        if (r == CHANGED) {
            refusal = new HostKeyException("REFUSED: the host key of " + host + " has CHANGED (now " + type + " " + fp
                    + "). This may be an attack; if the server was really re-keyed, remove the old line from "
                    + file + " and connect again.", true, fp);
            return CHANGED;
        }
        // known with another key type only: not a first connection, and said so
        List<String> otherTypes = List.copyOf(knownTypes(host));
        boolean trusted;
        try {
            trusted = prompt.trust(new HostKeyPrompt.UnknownHostKey(host, type, fp, file, otherTypes))
                    .get(promptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            trusted = false;
        }
        if (!trusted) {
            refusal = new HostKeyException("REFUSED: " + (otherTypes.isEmpty() ? "unknown host key for " + host
                    : "host " + host + " is known with another key type (" + String.join(", ", otherTypes)
                    + ") and now offers") + ": " + type + " " + fp
                    + ". Not in " + file + "; verify the fingerprint with the server's administrator and accept it"
                    + " in the window, or add it with ssh-keyscan.", false, fp);
            return NOT_INCLUDED;
        }
        try {
            append(host, type, key);
        } catch (IOException e) {
            refusal = new HostKeyException("could not write " + file + ": " + e.getMessage(), false, fp);
            return NOT_INCLUDED;
        }
        return OK;
    }

    private void append(String host, String type, byte[] key) throws IOException {
        if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
            Files.createDirectories(file.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        String line = host + " " + type + " " + Base64.getEncoder().encodeToString(key) + System.lineSeparator();
        boolean needsNewline = Files.exists(file) && Files.size(file) > 0
                && !Files.readString(file).endsWith("\n");
        Files.writeString(file, (needsNewline ? System.lineSeparator() : "") + line, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** OpenSSH's SHA256 fingerprint: "SHA256:" + unpadded base64 of the key blob's digest. */
    static String fingerprint(byte[] key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key type named at the start of the SSH key blob, e.g. ssh-ed25519. */
    static String keyType(byte[] key) {
        try {
            ByteBuffer b = ByteBuffer.wrap(key);
            int n = b.getInt();
            if (n <= 0 || n > 64) {
                return "unknown";
            }
            byte[] name = new byte[n];
            b.get(name);
            return new String(name, StandardCharsets.US_ASCII);
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // keys are added only through an accepted prompt in check()
    }

    @Override
    public void remove(String host, String type) { }

    @Override
    public void remove(String host, String type, byte[] key) { }

    @Override
    public String getKnownHostsRepositoryID() {
        return file.toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return known.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return known.getHostKey(host, type);
    }
}
