package io.dutydesk.core.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md names every key the loader knows, and each command's placeholders. */
class ConfigurationReferenceTest {
    static final Path DOC = Path.of("docs/configuration.md");

    static String doc() throws Exception {
        return Files.readString(DOC);
    }

    /** The complete files of the reference: its yaml blocks that start with "environments:". */
    static List<String> examples() throws Exception {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)```yaml\\n(.*?)```").matcher(doc());
        while (m.find()) {
            if (m.group(1).startsWith("environments:")) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Test
    void everyKeyTheLoaderKnowsIsInTheReference() throws Exception {
        Map<String, Boolean> keys = KnownKeys.all();
        assertTrue(keys.size() > 100 && keys.containsKey("backups.kinds.<name>.timestampFormat")
                && keys.containsKey("outbox.statuses.processing") && keys.containsKey("ssh.jump.host"), "the loader was asked: " + keys.keySet());
        String doc = doc();
        List<String> missing = keys.keySet().stream().filter(k -> !doc.contains("`" + k + "`")).toList();
        assertEquals(List.of(), missing, "keys the loader knows that docs/configuration.md does not name (as `path`)");
    }

    @Test
    void everyCommandsPlaceholdersAreInItsRow() throws Exception {
        String doc = doc();
        for (Map.Entry<String, List<String>> e : CommandTemplate.PLACEHOLDERS.entrySet()) {
            Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(e.getKey()) + "` \\| (.*)$").matcher(doc);
            List<String> rows = new ArrayList<>();
            while (row.find()) {
                rows.add(row.group(1));
            }
            String placeholders = rows.stream().filter(r -> r.indexOf('|') == r.length() - 1) // the two-column table
                    .map(r -> r.substring(0, r.length() - 1).strip()).findFirst()
                    .orElseThrow(() -> new AssertionError("no row `" + e.getKey() + "` | placeholders in the placeholder table"));
            for (String p : e.getValue()) {
                assertTrue(placeholders.contains("`{" + p + "}`"), e.getKey() + " gets {" + p + "}: " + placeholders);
            }
            if (e.getValue().isEmpty()) {
                assertTrue(placeholders.startsWith("none"), e.getKey() + " gets none: " + placeholders);
            }
            assertEquals(e.getValue().size(), Pattern.compile("`\\{[a-z]+}`").matcher(placeholders).results().count(),
                    e.getKey() + ": only its placeholders: " + placeholders);
        }
    }

    @Test
    void theTwoExamplesAreValidFilesForTeamsWithOtherConventions() throws Exception {
        List<String> ex = examples();
        assertEquals(2, ex.size());
        Environment second = EnvironmentsFile.parse(DOC, ex.get(0)).require("outbox-team");
        assertEquals("public.outbox_events", second.outbox().table());
        assertEquals(Map.of("pending", "NEW", "processing", "SENDING", "published", "SENT", "failed", "DEAD"), second.outbox().statuses());
        Environment lifeos = EnvironmentsFile.parse(DOC, ex.get(1)).require("lifeos-prod");
        assertTrue(!lifeos.outbox().hasProcessing());
        assertEquals("lifeos_api_b", lifeos.slots().container("api", "b"));
        assertEquals(new SecretRef.DotenvKey("/opt/lifeos/.env", "POSTGRES_PASSWORD"), lifeos.postgres().password());
    }

    @Test
    void theStarterPointsEditorsAtTheSchema() {
        assertTrue(EnvironmentsFile.STARTER.startsWith("# yaml-language-server: $schema=environments.schema.json\n"));
        assertTrue(Files.exists(Path.of("docs/environments.schema.json")));
    }
}
