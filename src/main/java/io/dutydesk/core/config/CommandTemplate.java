package io.dutydesk.core.config;

import io.dutydesk.core.ShellQuote;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The team's configured commands and the placeholders the console fills in them: the one list of
 * which command key takes which placeholder ({@link #PLACEHOLDERS}; the loader refuses any other),
 * and the one filler ({@link #fill}), used by rollout and backups alike.
 *
 * <p>A placeholder is {@code {name}} written bare in the command. The console quotes the value it
 * puts there ({@link ShellQuote}), so a file name such as {@code x';rm -rf ~;'.sql.gz} is one word.
 * Written inside the command's own quotes ({@code "{file}"}) it is refused: the quoted word would end
 * those quotes. A {@code {name}} that this command does not get is refused too — it would reach the
 * shell as the literal text {@code {name}} (a safety backup written to a file named {@code {file}}).
 * Braces that are shell, not placeholders, are left alone: {@code ${VAR}}, {@code \{x}}, {@code {a,b}},
 * {@code { cmd; }} and, inside quotes, words that are no placeholder of any command ({@code awk '{print}'}). But the
 * shell's parameter syntax around a placeholder's name ({@code ${file}}, {@code "${folder:-/b}"}) is refused: it is the
 * shell's variable, which nothing sets, not the placeholder; and so is a placeholder's name in another case, quoted or
 * not ({@code '{Folder}'}, {@code {FILE}}): it would reach the shell as literal text.
 * A shell comment ({@code #} starting a word, outside quotes, to the end of its line) is the shell's too: nothing in
 * it is a placeholder (none is filled there, a value with a newline would end the comment) and its apostrophes
 * ({@code # don't}) open no quotes.
 */
public final class CommandTemplate {
    /** A backup file's path on the server (a path: {@code ~/} stays expandable). */
    public static final String FILE = "file";
    /** A backup folder on the server (a path). */
    public static final String FOLDER = "folder";
    /** The environment's database name. */
    public static final String DATABASE = "database";
    /** The command key of every rollback type ({@code deploy.rollbackTypes.NAME}). */
    public static final String ROLLBACK_TYPE = "deploy.rollbackTypes.<name>";

    /** The version being deployed. */
    public static final String VERSION = "version";
    /** Container names: the service and the slot (plain text, not a shell command). */
    public static final String SERVICE = "service";
    public static final String SLOT = "slot";
    /** A backup file's path on the server, for a single stack's rollback (a path: {@code ~/} stays expandable). */
    public static final String BACKUP = "backup";

    /** Placeholders whose values are server paths: quoted so that a leading {@code ~/} still expands. */
    private static final Set<String> PATHS = Set.of(FILE, FOLDER, BACKUP);

    /**
     * Every command key of the environments file → the placeholders the console fills in it. The one
     * list: a command that gets a new placeholder gets it here, and the loader then accepts it.
     */
    public static final Map<String, List<String>> PLACEHOLDERS = placeholders();

    private static Map<String, List<String>> placeholders() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("deploy.commands.status", List.of());
        m.put("deploy.commands.deploy", List.of(VERSION));
        m.put("deploy.commands.switch", List.of());
        m.put("deploy.commands.rollback", List.of(BACKUP)); // deploy.model single only (the loader refuses it on blue-green)
        m.put("deploy.commands.cleanup", List.of());
        m.put("deploy.commands.healthCheck", List.of());
        m.put("deploy.commands.logs", List.of(SERVICE));
        m.put(ROLLBACK_TYPE, List.of()); // every declared type's command
        m.put("deploy.liveSlotCommand", List.of());
        m.put("docker.dialStdioCommand", List.of());
        m.put("backups.commands.backup", List.of());
        m.put("backups.commands.list", List.of());
        m.put("backups.commands.restore", List.of(FILE, DATABASE));
        m.put("backups.commands.safetyBackup", List.of(FOLDER));
        m.put("backups.commands.restoreScratch", List.of(FILE));
        m.put("slots.containerName", List.of(SERVICE, SLOT)); // a name, filled as plain text (Environment.Slots.container)
        return Collections.unmodifiableMap(m);
    }

    /** Every placeholder name some command takes: inside quotes, only these are read as placeholders. */
    private static final Set<String> KNOWN = PLACEHOLDERS.values().stream().flatMap(List::stream)
            .collect(Collectors.toCollection(LinkedHashSet::new));

    private static final Pattern NAME = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");
    /** Characters after which a word begins (so a {@code #} there begins a comment): blanks and the shell's operators. */
    private static final String WORD_ENDS = " \t\n;&|()<>";

    private CommandTemplate() {}

    /** The placeholders command {@code key} takes (e.g. "backups.commands.restore" → file, database). */
    public static List<String> placeholders(String key) {
        List<String> p = PLACEHOLDERS.get(key);
        if (p == null) {
            throw new IllegalArgumentException("no such command key: " + key);
        }
        return p;
    }

    /**
     * A {@code {name}} in a template: where it is, and whether it sits inside the template's own quotes; {@code shell}: it
     * is written as the shell's parameter ({@code ${name}}, {@code ${name:-x}}, ...), which the console never fills.
     */
    record Use(String name, int start, int end, boolean quoted, boolean shell) {
        Use(String name, int start, int end, boolean quoted) {
            this(name, start, end, quoted, false);
        }
    }

    /** {@code ${name}} and its operators ({@code ${name:-x}}, {@code ${#name}}, {@code ${name%.gz}}, ...): the name, group 1. */
    private static final Pattern PARAMETER = Pattern.compile("\\$\\{[#!]?([A-Za-z_][A-Za-z0-9_]*)(?=[}:=+?%#/^,\\[@*-])");

    /** Whether {@code name} is a placeholder of some command, but for its case ({Folder}, {FILE}): a placeholder mistyped, not shell text. */
    private static boolean knownIgnoringCase(String name) {
        return KNOWN.stream().anyMatch(k -> k.equalsIgnoreCase(name));
    }

    /** The placeholders written in {@code template}, in order (shell braces left out, see the class comment). */
    static List<Use> uses(String template) {
        List<Use> out = new ArrayList<>();
        char quote = 0; // ' or " while inside quotes
        boolean wordStart = true; // outside quotes, the next character begins a word (a # there begins a comment)
        Matcher m = NAME.matcher(template);
        for (int i = 0; i < template.length(); ) {
            char c = template.charAt(i);
            if (quote != '\'' && c == '\\' && i + 1 < template.length()) {
                i += 2; // an escaped character is text
                wordStart = false;
                continue;
            }
            if (quote != '\'' && c == '$' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                Matcher p = PARAMETER.matcher(template).region(i, template.length());
                if (p.lookingAt() && KNOWN.contains(p.group(1))) {
                    // ${file}: the shell's variable "file", never set — not the placeholder it looks like
                    int close = template.indexOf('}', p.end());
                    out.add(new Use(p.group(1), i, close < 0 ? template.length() : close + 1, quote != 0, true));
                }
                i += 2; // ${VAR}: the shell's own expansion
                wordStart = false;
                continue;
            }
            if (quote == 0 && c == '#' && wordStart) {
                int eol = template.indexOf('\n', i);
                i = eol < 0 ? template.length() : eol; // a comment: to the end of the line, nothing in it counts
                continue;
            }
            if (c == '{' && m.region(i, template.length()).lookingAt()) {
                String name = m.group(1);
                if (quote == 0 || knownIgnoringCase(name)) {
                    out.add(new Use(name, i, m.end(), quote != 0));
                }
                i = m.end();
                wordStart = false;
                continue;
            }
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
            wordStart = quote == 0 && WORD_ENDS.indexOf(c) >= 0;
            i++;
        }
        return out;
    }

    /**
     * What is wrong with {@code template} for a command that is given {@code allowed} (names without
     * braces), in words that say what to write instead; empty when it is fine.
     */
    public static Optional<String> problem(String template, Collection<String> allowed) {
        for (Use u : uses(template)) {
            if (u.shell()) {
                return Optional.of(template.substring(u.start(), u.end()) + " is the shell's variable " + u.name()
                        + ", which nothing sets, not the placeholder {" + u.name() + "}: " + (allowed.contains(u.name())
                        ? "write {" + u.name() + "} bare, the console quotes the value itself" : "{" + u.name() + "} is not filled in for this command")
                        + "; " + mayUse(allowed) + " (a shell variable of your own needs another name)");
            }
            if (!allowed.contains(u.name())) {
                return Optional.of("{" + u.name() + "} is not filled in for this command: it would reach the shell as the literal text {"
                        + u.name() + "}; " + mayUse(allowed));
            }
            if (u.quoted()) {
                return Optional.of("{" + u.name() + "} is inside quotes: write it bare, the console quotes the value itself");
            }
        }
        return Optional.empty();
    }

    /** "it may use: {file}, {database}" or "it takes no placeholder". */
    static String mayUse(Collection<String> allowed) {
        return allowed.isEmpty() ? "this command takes no placeholder"
                : "this command may use: " + allowed.stream().map(n -> "{" + n + "}").collect(Collectors.joining(", "));
    }

    /**
     * Command {@code key}'s {@code template} with each placeholder replaced by its value in {@code values}
     * (names without braces; raw values, quoted here: paths with {@link ShellQuote#path}, everything else
     * with {@link ShellQuote#quote}).
     *
     * @throws IllegalArgumentException when the template has a placeholder it is not given here, or one
     *                                  inside quotes (the loader refuses both already, so this is a second guard)
     * @throws IllegalStateException    when the caller gives a value the key does not take ({@link #PLACEHOLDERS})
     */
    public static String fill(String key, String template, Map<String, String> values) {
        List<String> allowed = placeholders(key);
        if (!allowed.containsAll(values.keySet())) {
            throw new IllegalStateException(key + " takes " + allowed + ", not " + values.keySet() + ": add it to CommandTemplate.PLACEHOLDERS");
        }
        Optional<String> p = problem(template, values.keySet());
        if (p.isPresent()) {
            throw new IllegalArgumentException(key + ": the command '" + template + "': " + p.get());
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (Use u : uses(template)) {
            String v = values.get(u.name());
            out.append(template, at, u.start()).append(PATHS.contains(u.name()) ? ShellQuote.path(v) : ShellQuote.quote(v));
            at = u.end();
        }
        return out.append(template.substring(at)).toString();
    }
}
