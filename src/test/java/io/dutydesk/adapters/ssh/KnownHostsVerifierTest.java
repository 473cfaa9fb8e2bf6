package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import io.dutydesk.core.ports.HostKeyPrompt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownHostsVerifierTest {
    /** Made with ssh-keygen -t ed25519; its fingerprint as printed by ssh-keygen -lf. */
    static final String KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIEttLt21blNOw8cpzGrsa95+eLBdAbiyS6zQ8izKawol";
    static final String FINGERPRINT = "SHA256:5I8YUCmeHT2T6gPy7ZEOenwuB9PB21sgi05wDI+/0a0";
    static final String OTHER_KEY = "AAAAC3NzaC1lZDI1NTE5AAAAIHYfEBB0vXGxV2g16qHHcPjyIHKQ4nJ7/GvU0Y2Ml/3P";

    @Test
    void fingerprintIsOpenSshsSha256() {
        byte[] blob = Base64.getDecoder().decode(KEY);
        assertEquals(FINGERPRINT, KnownHostsVerifier.fingerprint(blob));
        assertEquals("ssh-ed25519", KnownHostsVerifier.keyType(blob));
    }

    @Test
    void knownKeyPassesWithoutAsking(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, "[10.0.0.5]:2222 ssh-ed25519 " + KEY + "\n");
        AtomicReference<HostKeyPrompt.UnknownHostKey> asked = new AtomicReference<>();
        KnownHostsVerifier v = verifier(kh, k -> {
            asked.set(k);
            return CompletableFuture.completedFuture(true);
        });
        assertEquals(HostKeyRepository.OK, v.check("[10.0.0.5]:2222", Base64.getDecoder().decode(KEY)));
        assertNull(asked.get());
    }

    @Test
    void changedKeyIsRefusedAndNeverAsked(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, "[10.0.0.5]:2222 ssh-ed25519 " + OTHER_KEY + "\n");
        AtomicReference<HostKeyPrompt.UnknownHostKey> asked = new AtomicReference<>();
        KnownHostsVerifier v = verifier(kh, k -> {
            asked.set(k);
            return CompletableFuture.completedFuture(true);
        });
        assertEquals(HostKeyRepository.CHANGED, v.check("[10.0.0.5]:2222", Base64.getDecoder().decode(KEY)));
        assertNull(asked.get(), "a changed key is not the user's call");
        assertTrue(v.refusal().changed());
        assertTrue(v.refusal().getMessage().contains("CHANGED"));
        assertTrue(v.refusal().getMessage().contains(FINGERPRINT));
        assertEquals("[10.0.0.5]:2222 ssh-ed25519 " + OTHER_KEY + "\n", Files.readString(kh), "file untouched");
    }

    @Test
    void unknownKeyIsShownWithItsFingerprintAndRefusedUnlessAccepted(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("known_hosts");
        AtomicReference<HostKeyPrompt.UnknownHostKey> asked = new AtomicReference<>();
        KnownHostsVerifier v = verifier(kh, k -> {
            asked.set(k);
            return CompletableFuture.completedFuture(false);
        });
        assertEquals(HostKeyRepository.NOT_INCLUDED, v.check("[10.0.0.5]:2222", Base64.getDecoder().decode(KEY)));
        assertNotNull(asked.get());
        assertEquals(FINGERPRINT, asked.get().fingerprint());
        assertEquals("ssh-ed25519", asked.get().keyType());
        assertTrue(v.refusal().getMessage().contains(FINGERPRINT));
        assertTrue(Files.notExists(kh), "nothing written when refused");
    }

    @Test
    void acceptedUnknownKeyIsAppendedAndThenKnown(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("ssh/known_hosts");
        KnownHostsVerifier v = verifier(kh, k -> CompletableFuture.completedFuture(true));
        assertEquals(HostKeyRepository.OK, v.check("[10.0.0.5]:2222", Base64.getDecoder().decode(KEY)));
        assertEquals("[10.0.0.5]:2222 ssh-ed25519 " + KEY, Files.readString(kh).strip());
        KnownHostsVerifier again = verifier(kh, k -> {
            throw new AssertionError("must not ask again");
        });
        assertEquals(HostKeyRepository.OK, again.check("[10.0.0.5]:2222", Base64.getDecoder().decode(KEY)));
    }

    @Test
    void aPromptThatNeverAnswersRefuses(@TempDir Path dir) throws Exception {
        KnownHostsVerifier v = new KnownHostsVerifier(dir.resolve("kh"), k -> new CompletableFuture<>(),
                Duration.ofMillis(50));
        assertEquals(HostKeyRepository.NOT_INCLUDED, v.check("h", Base64.getDecoder().decode(KEY)));
    }

    static final String ECDSA_KEY = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOgUM8e2GXVAcZfw10jITlccN92RCMGJT7V"
            + "+CSmna5c6d76PzFec2Dl3YFNCJbl50bugcc3acFEnnGIP425necs=";

    /** A host known by its ECDSA key that now offers an ed25519 key: a warning naming the known type, not "first connection". */
    @Test
    void aKnownHostOfferingAnotherKeyTypeIsAWarningNotAFirstConnection(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, "[10.0.0.5]:2222 ecdsa-sha2-nistp256 " + ECDSA_KEY + "\n");
        AtomicReference<HostKeyPrompt.UnknownHostKey> asked = new AtomicReference<>();
        KnownHostsVerifier v = verifier(kh, k -> {
            asked.set(k);
            return CompletableFuture.completedFuture(false);
        });
        assertEquals(java.util.Set.of("ecdsa-sha2-nistp256"), v.knownTypes("[10.0.0.5]:2222"));
        assertEquals(HostKeyRepository.NOT_INCLUDED, v.check("[10.0.0.5]:2222", Base64.getDecoder().decode(KEY)));
        assertNotNull(asked.get());
        assertTrue(!asked.get().firstConnection());
        assertEquals(java.util.List.of("ecdsa-sha2-nistp256"), asked.get().knownTypes());
        assertTrue(asked.get().message().startsWith("WARNING: host [10.0.0.5]:2222 is known by its ecdsa-sha2-nistp256 key"),
                asked.get().message());
        assertTrue(v.refusal().getMessage().contains("known with another key type (ecdsa-sha2-nistp256)"),
                v.refusal().getMessage());
        assertTrue(!v.refusal().getMessage().contains("unknown host key"));
    }

    /** The algorithms of key types known for the host come first: the server is asked for the key we have. */
    @Test
    void knownKeyTypesArePreferred() {
        assertEquals("ecdsa-sha2-nistp256,ssh-ed25519",
                SessionFactory.preferKnown("ssh-ed25519,ecdsa-sha2-nistp256", java.util.Set.of("ecdsa-sha2-nistp256")));
        assertEquals("rsa-sha2-512,rsa-sha2-256,ssh-ed25519",
                SessionFactory.preferKnown("ssh-ed25519,rsa-sha2-512,rsa-sha2-256", java.util.Set.of("ssh-rsa")));
    }

    /** An accepted key creates known_hosts readable by the user alone, in a folder only the user enters. */
    @Test
    void anAcceptedKeyIsWrittenToAFileOfMode0600InAFolderOf0700(@TempDir Path dir) throws Exception {
        Path kh = dir.resolve("new-ssh/known_hosts");
        KnownHostsVerifier v = verifier(kh, k -> CompletableFuture.completedFuture(true));
        assertEquals(HostKeyRepository.OK, v.check("[10.0.0.5]:2222", Base64.getDecoder().decode(KEY)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kh)));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(kh.getParent())));
    }

    private static KnownHostsVerifier verifier(Path kh, HostKeyPrompt p) throws Exception {
        return new KnownHostsVerifier(kh, p, Duration.ofSeconds(5));
    }
}
