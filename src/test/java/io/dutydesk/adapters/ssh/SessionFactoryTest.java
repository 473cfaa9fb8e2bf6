package io.dutydesk.adapters.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionFactoryTest {
    private static List<String> list(String s) {
        return s == null || s.isEmpty() ? List.of() : List.of(s.split(","));
    }

    /**
     * JSch's own defaults check algorithms it never proposes (sntrup761x25519: a pure-Java key pair made before every
     * connection, seconds on a cold JVM): a session checks only what it proposes, and still checks that.
     */
    @Test
    void aSessionChecksOnlyTheAlgorithmsItProposes() throws Exception {
        Session s = new JSch().getSession("u", "127.0.0.1", 22);
        assertTrue(list(s.getConfig("CheckKexes")).contains("sntrup761x25519-sha512@openssh.com"), "JSch's default: "
                + s.getConfig("CheckKexes"));
        assertFalse(list(s.getConfig("kex")).contains("sntrup761x25519-sha512@openssh.com"), s.getConfig("kex"));

        SessionFactory.limitChecks(s);

        for (String[] c : new String[][] {{"CheckKexes", "kex"}, {"CheckSignatures", "server_host_key", "PubkeyAcceptedAlgorithms"},
                {"CheckCiphers", "cipher.c2s", "cipher.s2c"}, {"CheckMacs", "mac.c2s", "mac.s2c"}}) {
            for (String a : list(s.getConfig(c[0]))) {
                boolean proposed = false;
                for (int i = 1; i < c.length; i++) {
                    proposed |= list(s.getConfig(c[i])).contains(a);
                }
                assertTrue(proposed, c[0] + " checks " + a + ", which is not proposed");
            }
        }
        assertTrue(list(s.getConfig("CheckKexes")).contains("curve25519-sha256"), "a proposed key exchange is still checked: "
                + s.getConfig("CheckKexes"));
        assertTrue(list(s.getConfig("CheckSignatures")).contains("ssh-ed25519"), s.getConfig("CheckSignatures"));
    }

    @Test
    void onlyProposedKeepsTheCheckedOrder() {
        assertEquals("b,a", SessionFactory.onlyProposed("x,b,a", "a,c", "b"));
        assertEquals("", SessionFactory.onlyProposed("x", "a", null));
        assertEquals("", SessionFactory.onlyProposed(null, "a"));
    }
}
