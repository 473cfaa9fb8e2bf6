package io.dutydesk.core.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A YAML node that knows its file, line and dotted path, for errors that say where. */
final class YamlNode {
    private final Path file;
    private final String path;
    private final Node node;

    YamlNode(Path file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    String path() { return path; }

    int line() { return node == null ? 0 : node.getStartMark().getLine() + 1; }

    ConfigException error(String problem) {
        return new ConfigException(file, line(), path, problem);
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    Map<String, YamlNode> entries() {
        if (!(node instanceof MappingNode m)) {
            throw error("expected a mapping of keys to values");
        }
        Map<String, YamlNode> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw new YamlNode(file, path, t.getKeyNode()).error("keys must be plain names");
            }
            if (out.containsKey(k.getValue())) {
                throw new YamlNode(file, child(k.getValue()), t.getKeyNode()).error("appears twice");
            }
            out.put(k.getValue(), new YamlNode(file, child(k.getValue()), t.getValueNode()));
        }
        return out;
    }

    /** Fails on any key not in {@code allowed}: a typo must not be silently ignored. */
    YamlNode onlyKeys(Collection<String> allowed) {
        for (Map.Entry<String, YamlNode> e : entries().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                String hint = closest(e.getKey(), allowed).map(s -> " (did you mean '" + s + "'?)").orElse("");
                throw e.getValue().error("unknown field" + hint + "; known here: " + String.join(", ", allowed));
            }
        }
        return this;
    }

    Optional<YamlNode> get(String key) {
        YamlNode v = entries().get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        return Optional.of(v);
    }

    YamlNode require(String key) {
        return get(key).orElseThrow(() -> new ConfigException(file, line(), child(key), "is required"));
    }

    boolean isNull() {
        return node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
    }

    boolean isMapping() { return node instanceof MappingNode; }

    boolean isScalar() { return node instanceof ScalarNode; }

    String text() {
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a single value, not a " + (node instanceof SequenceNode ? "list" : "mapping"));
        }
        return s.getValue();
    }

    String string(String key, String dflt) {
        return get(key).map(YamlNode::nonEmptyText).orElse(dflt);
    }

    String nonEmptyText() {
        String t = text().strip();
        if (t.isEmpty()) {
            throw error("must not be empty");
        }
        return t;
    }

    int integer(String key, int dflt, int min, int max) {
        Optional<YamlNode> v = get(key);
        if (v.isEmpty()) {
            return dflt;
        }
        String t = v.get().text().strip();
        try {
            int n = Integer.parseInt(t);
            if (n < min || n > max) {
                throw v.get().error("must be between " + min + " and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw v.get().error("expected a whole number, got '" + t + "'");
        }
    }

    boolean bool(String key, boolean dflt) {
        Optional<YamlNode> v = get(key);
        if (v.isEmpty()) {
            return dflt;
        }
        String t = v.get().text().strip().toLowerCase();
        return switch (t) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw v.get().error("expected true or false, got '" + t + "'");
        };
    }

    List<YamlNode> items() {
        if (node instanceof ScalarNode) {
            return List.of(this); // a single value is a list of one
        }
        if (!(node instanceof SequenceNode s)) {
            throw error("expected a list");
        }
        List<YamlNode> out = new ArrayList<>();
        int i = 0;
        for (Node n : s.getValue()) {
            out.add(new YamlNode(file, path + "[" + i++ + "]", n));
        }
        return out;
    }

    List<String> strings(String key, List<String> dflt) {
        Optional<YamlNode> v = get(key);
        if (v.isEmpty()) {
            return dflt;
        }
        List<String> out = new ArrayList<>();
        for (YamlNode n : v.get().items()) {
            out.add(n.nonEmptyText());
        }
        if (out.isEmpty()) {
            throw v.get().error("must list at least one value");
        }
        return List.copyOf(out);
    }

    private static Optional<String> closest(String key, Collection<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(key.toLowerCase(), c.toLowerCase());
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return bestD <= Math.max(2, key.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
