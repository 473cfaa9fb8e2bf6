package io.dutydesk.core.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every key the loader knows, asked of the loader itself: under each mapping it reads, an unknown key is written and the
 * loader's refusal ("unknown field; known here: a, b, c") names the keys it knows there. A mapping whose keys are the
 * user's own names (backups.kinds, metrics.queries) accepts the unknown key as a name: it is then explored under
 * {@code <name>}. No hand-written list: a key added to the loader appears here.
 */
final class KnownKeys {
    static final String NAME = "<name>";
    private static final String PROBE = "zzzunknownkey";

    private KnownKeys() {}

    /** Dotted paths below an environment (ssh.host, backups.kinds.&lt;name&gt;.pattern, ...) → true for a mapping. */
    static Map<String, Boolean> all() {
        Map<String, Boolean> out = new TreeMap<>();
        Deque<List<String>> todo = new ArrayDeque<>();
        todo.add(List.of());
        while (!todo.isEmpty()) {
            List<String> at = todo.poll();
            List<String> keys = knownUnder(at);
            if (keys == null) {
                if (!at.isEmpty()) {
                    out.put(String.join(".", at), false);
                }
                continue;
            }
            if (!at.isEmpty()) {
                out.put(String.join(".", at), true);
            }
            for (String k : keys) {
                List<String> p = new ArrayList<>(at);
                p.add(k);
                todo.add(p);
            }
        }
        return out;
    }

    /** The keys known under {@code path}, {@code [<name>]} for a mapping of the user's names, null for a value. */
    private static List<String> knownUnder(List<String> path) {
        ConfigException e = refusal(path);
        String field = "environments.e" + (path.isEmpty() ? "" : "." + String.join(".", path)).replace(NAME, "x");
        if (e != null && e.field().equals(field + "." + PROBE) && e.problem().startsWith("unknown field")) {
            int i = e.problem().indexOf("known here: ");
            return List.of(e.problem().substring(i + "known here: ".length()).split(", "));
        }
        if (e != null && e.field().startsWith(field + "." + PROBE + ".") || e != null && e.field().equals(field + "." + PROBE)
                && !e.problem().startsWith("unknown field") && !e.problem().startsWith("expected a mapping")) {
            return List.of(NAME); // the probe was taken as a name: a mapping of the user's names
        }
        return null;
    }

    private static ConfigException refusal(List<String> path) {
        Map<String, Object> env = new LinkedHashMap<>();
        Map<String, Object> ssh = new LinkedHashMap<>();
        ssh.put("host", "h");
        env.put("ssh", ssh);
        Map<String, Object> m = env;
        for (String k : path) {
            String key = k.equals(NAME) ? "x" : k;
            Object next = m.get(key);
            if (!(next instanceof Map)) {
                next = new LinkedHashMap<String, Object>();
                m.put(key, next);
            }
            @SuppressWarnings("unchecked") Map<String, Object> n = (Map<String, Object>) next;
            m = n;
        }
        m.put(PROBE, Map.of("a", "b"));
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String yaml = new Yaml(o).dump(Map.of("environments", Map.of("e", env)));
        try {
            EnvironmentsFile.parse(Path.of("probe.yaml"), yaml);
            return null;
        } catch (ConfigException e) {
            return e;
        }
    }

    public static void main(String[] args) {
        all().forEach((k, v) -> System.out.println(k + (v ? "  {}" : "")));
    }
}
