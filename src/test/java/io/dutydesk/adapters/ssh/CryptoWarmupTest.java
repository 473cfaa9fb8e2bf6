package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.JSch;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CryptoWarmupTest {
    /** It warms what JSch runs: the key exchange and host key it proposes first, done by the JDK's classes it warms. */
    @Test
    void warmsTheAlgorithmsJschProposesFirstWithTheJdkClassesItUses() {
        assertEquals(CryptoWarmup.KEX, JSch.getConfig("kex").split(",")[0]);
        assertEquals(CryptoWarmup.HOST_KEY, JSch.getConfig("server_host_key").split(",")[0]);
        assertEquals("com.jcraft.jsch.jce.XDH", JSch.getConfig("xdh"), "X25519 by the JDK's XDH (what the warm-up runs)");
        assertEquals("com.jcraft.jsch.jce.SignatureEd25519", JSch.getConfig(CryptoWarmup.HOST_KEY), "Ed25519 by the JDK's EdDSA");
    }

    @Test
    void runsOnThisJdk() throws Exception {
        assertTrue(CryptoWarmup.run(), "X25519 and Ed25519 ran");
        Thread t = CryptoWarmup.start();
        t.join(10_000);
        assertTrue(t.isDaemon() && !t.isAlive(), "a daemon thread that ends");
        assertEquals(Runtime.getRuntime().availableProcessors() >= 2, CryptoWarmup.startIfSpareCore().isPresent(),
                "started only with a spare core");
    }
}
