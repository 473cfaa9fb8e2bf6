package io.dutydesk.adapters.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqliteStoreTest {
    @TempDir
    Path tmp;

    @Test
    void migratesEachComponentOnceAndKeepsDataAcrossOpens() throws Exception {
        Path file = tmp.resolve("d/dutydesk.db");
        List<String> v1 = List.of("CREATE TABLE t (x INTEGER)");
        List<String> v2 = List.of("CREATE TABLE t (x INTEGER)", "ALTER TABLE t ADD COLUMN y TEXT");
        try (SqliteStore s = SqliteStore.open(file)) {
            assertEquals(0, s.migrate("a", v1).get(5, TimeUnit.SECONDS));
            assertEquals(1, s.migrate("a", v1).get(5, TimeUnit.SECONDS));
            assertEquals(0, s.migrate("b", List.of("CREATE TABLE u (z INTEGER)")).get(5, TimeUnit.SECONDS));
            s.call(c -> c.createStatement().executeUpdate("INSERT INTO t(x) VALUES (7)")).get(5, TimeUnit.SECONDS);
        }
        try (SqliteStore s = SqliteStore.open(file)) {
            assertEquals(1, s.migrate("a", v2).get(5, TimeUnit.SECONDS));
            assertEquals(2, s.version("a").get(5, TimeUnit.SECONDS));
            assertEquals(1, s.version("b").get(5, TimeUnit.SECONDS));
            int x = s.call(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT x FROM t WHERE y IS NULL")) {
                    rs.next();
                    return rs.getInt(1);
                }
            }).get(5, TimeUnit.SECONDS);
            assertEquals(7, x);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aFailedStepLeavesTheVersionWhereItWas() throws Exception {
        try (SqliteStore s = SqliteStore.open(tmp.resolve("x.db"))) {
            s.migrate("a", List.of("CREATE TABLE t (x INTEGER)")).get(5, TimeUnit.SECONDS);
            assertThrows(Exception.class, () -> s.migrate("a", List.of("CREATE TABLE t (x INTEGER)", "THIS IS NOT SQL"))
                    .get(5, TimeUnit.SECONDS));
            assertEquals(1, s.version("a").get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void defaultFileFollowsXdg() {
        assertEquals(Path.of("/x/dutydesk/dutydesk.db"), SqliteStore.defaultFile(Map.of("XDG_DATA_HOME", "/x")::get));
        assertEquals(Path.of("/y.db"), SqliteStore.defaultFile(Map.of("DUTYDESK_STORE", "/y.db", "XDG_DATA_HOME", "/x")::get));
    }
}
