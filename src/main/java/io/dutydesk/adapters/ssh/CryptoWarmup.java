package io.dutydesk.adapters.ssh;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import javax.crypto.KeyAgreement;

/**
 * Runs the JDK's elliptic-curve code that an SSH handshake runs — the X25519 key exchange JSch proposes first, Ed25519
 * signing and verifying (the usual host and user keys) — on
 * throwaway keys, on a spare core, while a cold JVM reads its configuration. In a fresh JVM that code runs interpreted:
 * a bare handshake took 150-230 ms cold and ~50 ms warm, ~90-110 ms with this beside it; a cold {@code rollback --yes}
 * read its plan ~20 ms sooner (docs/benchmarks.md). Nothing is kept, sent or written; the keys are garbage once it ends.
 */
public final class CryptoWarmup {
    /** The key exchange and host key algorithms run here: those JSch proposes first (CryptoWarmupTest keeps them so). */
    static final String KEX = "curve25519-sha256";
    static final String HOST_KEY = "ssh-ed25519";

    private CryptoWarmup() {}

    /**
     * Starts it on a daemon thread when there is a spare core (on one, it would only slow the configuration's read: Linux
     * ignores Java's thread priorities); returns at once, with the thread or none.
     */
    public static java.util.Optional<Thread> startIfSpareCore() {
        return Runtime.getRuntime().availableProcessors() >= 2 ? java.util.Optional.of(start()) : java.util.Optional.empty();
    }

    /** Starts it on a daemon thread; returns at once. */
    static Thread start() {
        Thread t = new Thread(CryptoWarmup::run, "dutydesk-crypto-warmup");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Runs it here; false when an algorithm is missing from this JDK (then the handshake does without the warm-up). The CDS
     * training runs it too: the curve classes and the lambdas and method-handle forms they make at first use are archived,
     * not defined at run time on the warm-up's core (~40 of a cold verb's ~120 classes that the archive did not hold).
     */
    public static boolean run() {
        try {
            byte[] data = new byte[64];
            // one round: more (or the NIST curves of JSch's check too) slowed the configuration's read more than it sped the handshake
            KeyPairGenerator x = KeyPairGenerator.getInstance("XDH");
            x.initialize(NamedParameterSpec.X25519);
            KeyPair a = x.generateKeyPair();
            KeyPair b = x.generateKeyPair();
            KeyAgreement agreement = KeyAgreement.getInstance("XDH");
            agreement.init(a.getPrivate());
            agreement.doPhase(b.getPublic(), true);
            agreement.generateSecret();
            KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
            KeyPair k = ed.generateKeyPair();
            Signature sign = Signature.getInstance("Ed25519");
            sign.initSign(k.getPrivate());
            sign.update(data);
            byte[] sig = sign.sign();
            Signature verify = Signature.getInstance("Ed25519");
            verify.initVerify(k.getPublic());
            verify.update(data);
            return verify.verify(sig);
        } catch (java.security.GeneralSecurityException | RuntimeException | LinkageError missing) {
            return false; // the warm-up only: the handshake reports what is really missing
        }
    }
}
