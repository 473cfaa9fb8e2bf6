package io.dutydesk.core.secrets;

import io.dutydesk.core.config.SecretRef;
import io.dutydesk.core.ports.SecretPrompt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DotenvTest {
    static final String FILE = """
            # production settings
            APP_ENV=production

            export DB_PASSWORD=plain-secret   # the database
            REDIS_PASSWORD="dq \\"quoted\\" # not a comment"
            SINGLE='lit $HOME \\n'
              SPACED = around  \r
            EMPTY=
            TWICE=first
            TWICE=second
            HASH=a#b
            DB_PASSWORD_OLD=nope
            MULTI="line1
            line2"
            AFTER=ok
            """;

    static String v(String key) {
        return Dotenv.value(FILE.getBytes(StandardCharsets.UTF_8), key).map(String::new).orElse(null);
    }

    @Test
    void readsTheUsualForms() {
        assertEquals("production", v("APP_ENV"));
        assertEquals("plain-secret", v("DB_PASSWORD"), "export prefix and trailing comment");
        assertEquals("dq \"quoted\" # not a comment", v("REDIS_PASSWORD"));
        assertEquals("lit $HOME \\n", v("SINGLE"), "single quotes are literal");
        assertEquals("around", v("SPACED"));
        assertEquals("", v("EMPTY"));
        assertEquals("second", v("TWICE"), "the last assignment wins");
        assertEquals("a#b", v("HASH"), "a # inside a word is not a comment");
        assertEquals("line1\nline2", v("MULTI"));
        assertEquals("ok", v("AFTER"), "parsing goes on after a multi-line value");
        assertEquals(null, v("MISSING"));
        assertEquals(null, v("production"), "only names are keys");
        assertEquals(null, v("#"), "comments are not keys");
    }

    @Test
    void resolverReadsTheKeyAndAMissingKeyNamesFileAndKeyButNoContent() {
        SecretResolverTest.Files shell = new SecretResolverTest.Files(Map.of("/srv/app/.env.production", FILE));
        SecretResolver r = new SecretResolver("ref", shell, SecretPrompt.NONE, n -> null, k -> null);
        assertEquals("plain-secret", new String(r.resolve(new SecretRef.DotenvKey("/srv/app/.env.production", "DB_PASSWORD"))
                .join().orElseThrow()));
        CompletionException e = assertThrows(CompletionException.class,
                () -> r.resolve(new SecretRef.DotenvKey("/srv/app/.env.production", "DB_PASS")).join());
        String m = e.getCause().getMessage();
        assertTrue(m.contains("DB_PASS") && m.contains("/srv/app/.env.production"), m);
        assertFalse(m.contains("plain-secret") || m.contains("production settings") || m.contains("quoted"), m);
        CompletionException empty = assertThrows(CompletionException.class,
                () -> r.resolve(new SecretRef.DotenvKey("/srv/app/.env.production", "EMPTY")).join());
        assertTrue(empty.getCause().getMessage().contains("EMPTY is empty"), empty.getCause().getMessage());
        CompletionException nofile = assertThrows(CompletionException.class,
                () -> r.resolve(new SecretRef.DotenvKey("/srv/none/.env", "DB_PASSWORD")).join());
        assertTrue(nofile.getCause().getMessage().contains("/srv/none/.env"), nofile.getCause().getMessage());
    }
}
