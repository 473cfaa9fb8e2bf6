package io.dutydesk.core.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the environments file (YAML). Every problem is reported as a {@link ConfigException}
 * naming the file, the line and the field. Defaults follow the Selfology runbook, so a team
 * with those conventions writes only the addresses; another team overrides the conventions.
 */
public final class EnvironmentsFile {

    public static final String DEFAULT_VERSION_PATTERN = "^v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.]+)?$";
    /** The live slot in the output of the runbook's status command ("Active Slot:   blue"). */
    public static final String DEFAULT_LIVE_PATTERN = "(?m)^\\s*Active Slot:\\s*(\\S+)";
    static final Set<String> DEPLOY_VERBS = Set.of("status", "deploy", "switch", "rollback", "cleanup", "healthCheck", "logs");

    private final Path file;
    private final Map<String, Environment> environments;

    private EnvironmentsFile(Path file, Map<String, Environment> environments) {
        this.file = file;
        this.environments = environments;
    }

    public Path file() { return file; }

    public Map<String, Environment> environments() { return environments; }

    public Environment require(String name) {
        Environment e = environments.get(name);
        if (e == null) {
            throw ConfigException.unknownEnvironment(file, name, List.copyOf(environments.keySet()));
        }
        return e;
    }

    /** Where the file is looked for when no --config is given. */
    public static Path defaultLocation(Function<String, String> env) {
        String explicit = env.apply("DUTYDESK_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.apply("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("dutydesk").resolve("environments.yaml");
    }

    public static EnvironmentsFile load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw ConfigException.missing(file, "file not found: " + file.toAbsolutePath() + "\n"
                    + "Dutydesk reads the environments it watches from this file. Create it (or give --config FILE, "
                    + "or set DUTYDESK_CONFIG); a starter with one environment — replace the host, user and workdir:\n\n"
                    + STARTER + "\n"
                    + "Every other setting has a default (the README's 'The environments file' lists them).");
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot read: " + e.getMessage());
        }
        return parse(file, text);
    }

    /**
     * The first line of the starter: editors with the YAML language server complete and check the file against
     * docs/environments.schema.json, copied next to it (docs/configuration.md, "Editor completion").
     */
    public static final String SCHEMA_LINE = "# yaml-language-server: $schema=environments.schema.json";

    /** What a new user writes first: one environment, every convention left to its default. */
    public static final String STARTER = SCHEMA_LINE + "\n" + """
            environments:
              prod:
                description: production
                ssh:
                  host: my-server               # a name or an alias from ~/.ssh/config
                  user: deploy
                  identity: ~/.ssh/id_ed25519   # omit it to use ssh-agent
                postgres: { password: { env: PGPASSWORD } }   # never the password itself
                deploy: { workdir: ~/app }      # where the deploy script runs
            """;

    /**
     * A YAML syntax error as "file:line: what is wrong", in words: the line is where to look (for
     * an unclosed bracket or quote, the line that opened it), the words say what to change.
     */
    static ConfigException syntaxError(Path file, MarkedYAMLException e) {
        Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        Mark ctx = e.getContextMark();
        String problem = e.getProblem() == null ? String.valueOf(e.getMessage()) : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        int line = at == null ? 0 : at.getLine() + 1;
        int ctxLine = ctx == null ? line : ctx.getLine() + 1;
        String col = at == null ? "" : " (column " + (at.getColumn() + 1) + ")";
        String words;
        if (problem.contains("\\t(TAB)") || problem.contains("'\\t'") || problem.contains("\t")) {
            words = "a tab character" + col + ": YAML indents with spaces only";
        } else if (problem.startsWith("expected ',' or '}'")) {
            line = ctxLine;
            words = "the '{' opened on this line is not closed: a '}' is missing, or a ',' between two entries";
        } else if (problem.startsWith("expected ',' or ']'")) {
            line = ctxLine;
            words = "the '[' opened on this line is not closed: a ']' is missing, or a ',' between two items";
        } else if (context.contains("quoted scalar")) {
            line = ctxLine;
            words = "the quote opened on this line is never closed";
        } else if (problem.startsWith("mapping values are not allowed")) {
            words = "unexpected ':'" + col + " — is the ':' of the key above missing, or are there two 'key:' on this line? "
                    + "(quote a value that contains ': ')";
        } else if (problem.contains("but found '<block mapping start>'") || problem.contains("did not find expected key")) {
            words = "this line is indented differently from the lines above it; keys of one mapping start in the same column";
        } else if (problem.contains("but found '-'") || problem.contains("but found '<block sequence start>'")) {
            words = "a list item ('- …') where a 'key: value' belongs";
        } else if (problem.startsWith("could not find expected ':'")) {
            line = ctxLine;
            words = "a line that is neither 'key: value' nor '- item' (a ':' missing?)";
        } else if (problem.startsWith("found undefined alias")) {
            words = "a value starting with '*' is read as a reference to an anchor" + col + "; put it in quotes";
        } else {
            words = problem + (context.isEmpty() ? "" : " (" + context + (ctxLine != line ? " started on line " + ctxLine : "") + ")");
        }
        return new ConfigException(file, line, "", "not valid YAML: " + words);
    }

    public static EnvironmentsFile parse(Path file, String text) {
        Node root;
        try (Reader r = new StringReader(text)) {
            LoaderOptions opts = new LoaderOptions();
            opts.setAllowDuplicateKeys(false);
            // the node tree only, by the parser and composer Yaml.compose uses, without the Yaml facade: its constructor
            // builds a TypeDescription, whose logger starts the JDK's System.Logger service look-up and java.util.logging
            // (~40 ms of a cold CLI verb, before the SSH handshake can start; nothing here logs)
            root = new Composer(new ParserImpl(new StreamReader(r), opts), new Resolver(), opts).getSingleNode();
        } catch (MarkedYAMLException e) {
            throw syntaxError(file, e);
        } catch (YAMLException | IOException e) {
            throw new ConfigException(file, 0, "", "not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new ConfigException(file, 1, "environments", "the file is empty; it needs an 'environments' mapping");
        }
        YamlNode top = new YamlNode(file, "", root).onlyKeys(List.of("environments"));
        YamlNode envs = top.require("environments");
        Map<String, Environment> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : envs.entries().entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                throw e.getValue().error("an environment name is letters, digits, '.', '_' and '-'");
            }
            out.put(e.getKey(), environment(e.getKey(), e.getValue()));
        }
        if (out.isEmpty()) {
            throw envs.error("no environment defined");
        }
        return new EnvironmentsFile(file, java.util.Collections.unmodifiableMap(out));
    }

    private static Environment environment(String name, YamlNode n) {
        n.onlyKeys(List.of("description", "ssh", "docker", "postgres", "redis", "prometheus", "alertmanager",
                "backups", "deploy", "slots", "outbox", "thresholds", "poll", "metrics", "alerts", "checks", "checkSchedule"));
        Environment.Deploy deploy = Conventions.deploy(n.get("deploy"));
        Environment.Http am = switchedOff(n.get("alertmanager")) ? Environment.Http.NONE : http(n.get("alertmanager"), 9093);
        Environment.Backups bk = switchedOff(n.get("backups")) ? Environment.Backups.NONE : Conventions.backups(n.get("backups"));
        return new Environment(
                name,
                n.string("description", ""),
                ssh(n.require("ssh"), true),
                docker(n.get("docker")),
                postgres(n.get("postgres")),
                switchedOff(n.get("redis")) ? Environment.Redis.NONE : redis(n.get("redis")),
                http(n.get("prometheus"), 9090),
                am,
                bk,
                deploy,
                Conventions.slots(n.get("slots"), deploy.model()),
                Conventions.outbox(n.get("outbox")),
                Conventions.thresholds(n.get("thresholds")),
                Conventions.poll(n.get("poll")),
                Conventions.metrics(n.get("metrics")),
                Conventions.alerts(n.get("alerts")),
                CheckConventions.checks(n.get("checks"), n.get("checkSchedule"), am.configured(), bk, deploy.single()));
    }

    /** The sections an environment may switch off with {@code false}: the console then neither shows nor polls them. */
    public static final List<String> OPTIONAL_SECTIONS = List.of("redis", "alertmanager", "backups");

    /**
     * {@code alertmanager: false} (also {@code no}, {@code off}): the environment has none. {@code true} is refused: a
     * section is written as its settings, or left out for the defaults.
     */
    static boolean switchedOff(Optional<YamlNode> o) {
        if (o.isEmpty() || o.get().isMapping() || !o.get().isScalar()) {
            return false;
        }
        String t = o.get().text().strip().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("false") || t.equals("no") || t.equals("off")) {
            return true;
        }
        throw o.get().error("expected its settings (a mapping), or false when this environment has none; got '" + o.get().text() + "'");
    }

    private static Environment.Ssh ssh(YamlNode n, boolean allowJump) {
        List<String> keys = new ArrayList<>(List.of("host", "port", "user", "identity", "agent", "knownHosts",
                "connectTimeoutSeconds", "commandTimeoutSeconds"));
        if (allowJump) {
            keys.add("jump");
        }
        n.onlyKeys(keys);
        String host = n.require("host").nonEmptyText();
        int port = n.integer("port", 0, 1, 65535); // 0: from ~/.ssh/config, else 22
        String user = n.string("user", null);
        Optional<Path> identity = n.get("identity").map(v -> Path.of(expandHome(v.nonEmptyText())));
        boolean agent = n.bool("agent", true); // the agent is tried first, identity files after it, as OpenSSH does
        Path knownHosts = Path.of(expandHome(n.string("knownHosts", "~/.ssh/known_hosts")));
        Optional<Environment.Ssh> jump = allowJump ? n.get("jump").map(j -> ssh(j, false)) : Optional.empty();
        return new Environment.Ssh(host, port, user, identity, agent, knownHosts, jump,
                Duration.ofSeconds(n.integer("connectTimeoutSeconds", 10, 1, 300)),
                Duration.ofSeconds(n.integer("commandTimeoutSeconds", 30, 1, 3600)));
    }

    static String expandHome(String p) {
        return p.equals("~") || p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }

    private static Environment.Docker docker(Optional<YamlNode> o) {
        if (o.isEmpty()) {
            return new Environment.Docker("/var/run/docker.sock", "docker system dial-stdio");
        }
        YamlNode n = o.get().onlyKeys(List.of("socket", "dialStdioCommand"));
        String socket = n.string("socket", "/var/run/docker.sock");
        if (!socket.startsWith("/")) {
            throw n.require("socket").error("must be an absolute path on the server");
        }
        return new Environment.Docker(socket, Conventions.command("docker.dialStdioCommand", n.get("dialStdioCommand")).orElse("docker system dial-stdio"));
    }

    private static Environment.Postgres postgres(Optional<YamlNode> o) {
        if (o.isEmpty()) {
            return new Environment.Postgres("127.0.0.1", 5432, "n8n", "n8n", new SecretRef.Prompt("PostgreSQL password"));
        }
        YamlNode n = o.get().onlyKeys(List.of("host", "port", "database", "user", "password"));
        return new Environment.Postgres(n.string("host", "127.0.0.1"), n.integer("port", 5432, 1, 65535),
                n.string("database", "n8n"), n.string("user", "n8n"),
                secret(n.get("password"), "PostgreSQL password", true));
    }

    private static Environment.Redis redis(Optional<YamlNode> o) {
        YamlNode n = o.map(v -> v.onlyKeys(List.of("host", "port", "user", "password", "stream", "groups"))).orElse(null);
        if (n == null) {
            return new Environment.Redis("127.0.0.1", 6379, Optional.empty(), new SecretRef.None(),
                    "selfology:events", List.of());
        }
        return new Environment.Redis(n.string("host", "127.0.0.1"), n.integer("port", 6379, 1, 65535),
                Optional.ofNullable(n.string("user", null)), secret(n.get("password"), "Redis password", false),
                n.string("stream", "selfology:events"), n.strings("groups", List.of()));
    }

    /** A secret must be a reference: {env: VAR}, {file: /server/path}, {prompt: label}, {keyring: name}. */
    static SecretRef secret(Optional<YamlNode> o, String label, boolean required) {
        if (o.isEmpty()) {
            return required ? new SecretRef.Prompt(label) : new SecretRef.None();
        }
        YamlNode n = o.get();
        if (!n.isMapping()) {
            throw n.error("secrets are never written in this file; refer to one instead: "
                    + "{ env: VARIABLE }, { file: /path/on/server }, { prompt: true } or { keyring: name }");
        }
        n.onlyKeys(List.of("env", "file", "key", "prompt", "keyring"));
        Map<String, YamlNode> e = new LinkedHashMap<>(n.entries());
        Optional<YamlNode> key = Optional.ofNullable(e.remove("key"));
        if (key.isPresent() && !e.containsKey("file")) {
            throw key.get().error("'key' names a variable of a dotenv file: give it with 'file', e.g. "
                    + "{ file: ~/app/.env.production, key: DB_PASSWORD }");
        }
        if (e.size() != 1) {
            throw n.error("give exactly one of env, file, prompt, keyring");
        }
        if (key.isPresent()) {
            String k = key.get().nonEmptyText();
            if (!k.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw key.get().error("not a dotenv variable name: '" + k + "'");
            }
            YamlNode f = e.get("file");
            String path = f.nonEmptyText();
            if (!path.startsWith("/") && !path.startsWith("~/")) {
                throw f.error("the server path must be absolute or start with ~/");
            }
            return new SecretRef.DotenvKey(path, k);
        }
        Map.Entry<String, YamlNode> only = e.entrySet().iterator().next();
        String v = only.getValue().nonEmptyText();
        return switch (only.getKey()) {
            case "env" -> {
                if (!v.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw only.getValue().error("not a variable name: '" + v + "'");
                }
                yield new SecretRef.Env(v);
            }
            case "file" -> {
                if (!v.startsWith("/") && !v.startsWith("~/")) {
                    throw only.getValue().error("the server path must be absolute or start with ~/");
                }
                yield new SecretRef.ServerFile(v);
            }
            case "prompt" -> new SecretRef.Prompt("true".equals(v) ? label : v);
            default -> new SecretRef.Keyring(v);
        };
    }

    private static Environment.Http http(Optional<YamlNode> o, int defaultPort) {
        if (o.isEmpty()) {
            return new Environment.Http("127.0.0.1", defaultPort, "/");
        }
        YamlNode n = o.get().onlyKeys(List.of("url"));
        YamlNode u = n.require("url");
        try {
            URI uri = new URI(u.nonEmptyText());
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw u.error("expected an http:// URL as seen from the server, e.g. http://127.0.0.1:" + defaultPort + "/");
            }
            String prefix = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return new Environment.Http(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80, prefix);
        } catch (URISyntaxException e) {
            throw u.error("not a URL: " + e.getMessage());
        }
    }
}
