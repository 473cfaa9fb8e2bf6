package io.dutydesk.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a new user reads when the environments file is missing or is not YAML. */
class EnvironmentsFileErrorsTest {
    static final Path F = Path.of("envs.yaml");

    private static ConfigException broken(String text) {
        return assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, text));
    }

    @Test
    void aMissingFileSaysWhereAndGivesAStarterThatWorks(@TempDir Path dir) {
        Path f = dir.resolve("dutydesk/environments.yaml");
        ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.load(f));
        assertTrue(ex.isMissing());
        String m = ex.getMessage();
        assertTrue(m.startsWith("file not found: " + f.toAbsolutePath() + "\n"), m);
        assertTrue(m.contains("--config FILE") && m.contains("DUTYDESK_CONFIG"), m);
        assertTrue(m.contains(EnvironmentsFile.STARTER), "the starter is in the message: " + m);
        // the starter itself is a valid file
        Environment prod = EnvironmentsFile.parse(F, EnvironmentsFile.STARTER).require("prod");
        assertEquals("my-server", prod.ssh().host());
    }

    @Test
    void aTabSaysSoWithItsLine() {
        ConfigException ex = broken("environments:\n  prod:\n\tssh: { host: h }\n");
        assertEquals("envs.yaml:3: not valid YAML: a tab character (column 1): YAML indents with spaces only", ex.getMessage());
    }

    @Test
    void anUnclosedBraceNamesTheLineThatOpenedIt() {
        ConfigException ex = broken("environments:\n  prod:\n    ssh: { host: h\n    docker: {}\n");
        assertEquals("envs.yaml:3: not valid YAML: the '{' opened on this line is not closed: a '}' is missing, "
                + "or a ',' between two entries", ex.getMessage());
    }

    @Test
    void aBadIndentSaysSo() {
        ConfigException ex = broken("environments:\n  prod:\n    ssh:\n      host: h\n     user: x\n");
        assertEquals(5, ex.line());
        assertTrue(ex.getMessage().startsWith("envs.yaml:5: not valid YAML: this line is indented differently"), ex.getMessage());
    }

    @Test
    void aMissingColonAndAnUnclosedQuoteSaySo() {
        ConfigException colon = broken("environments:\n  prod:\n    ssh: host: h\n");
        assertTrue(colon.getMessage().startsWith("envs.yaml:3: not valid YAML: unexpected ':' (column 14)"), colon.getMessage());
        ConfigException quote = broken("environments:\n  prod:\n    description: 'abc\n    ssh: { host: h }\n");
        assertEquals("envs.yaml:3: not valid YAML: the quote opened on this line is never closed", quote.getMessage());
    }
}
