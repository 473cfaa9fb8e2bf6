package io.dutydesk.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one filler of the team's commands, and the loader refusing a placeholder a command does not get. */
class CommandTemplateTest {
    static final Path F = Path.of("envs.yaml");

    @TempDir
    Path dir;

    static String sh(Path cwd, String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    // ------------------------------------------------------------------ the filler

    @Test
    void everyValueReachesTheShellAsOneWordExactlyAsGiven() throws Exception {
        for (String v : List.of("plain.sql.gz", "with space.sql.gz", "x';touch PWNED;'.sql.gz", "a;b", "$(touch PWNED)", "`touch PWNED`",
                "it's", "\"dq\"", "*", "")) {
            String cmd = CommandTemplate.fill("backups.commands.restore", "printf '[%s]\\n' {file} {database}",
                    Map.of(CommandTemplate.FILE, v, CommandTemplate.DATABASE, v));
            assertEquals("[" + v + "]\n[" + v + "]\n", sh(dir, cmd), cmd);
            assertFalse(Files.exists(dir.resolve("PWNED")), cmd);
        }
        String deploy = CommandTemplate.fill("deploy.commands.deploy", "printf '[%s]\\n' {version}", Map.of(CommandTemplate.VERSION, "1.2.3; touch PWNED"));
        assertEquals("[1.2.3; touch PWNED]\n", sh(dir, deploy));
        assertFalse(Files.exists(dir.resolve("PWNED")));
    }

    @Test
    void aPathKeepsItsTildeExpandableAndEverythingElseIsQuoted() {
        assertEquals("ls ~/'my backups'", CommandTemplate.fill("backups.commands.safetyBackup", "ls {folder}",
                Map.of(CommandTemplate.FOLDER, "~/my backups")));
        assertEquals("deploy '~1.2'", CommandTemplate.fill("deploy.commands.deploy", "deploy {version}",
                Map.of(CommandTemplate.VERSION, "~1.2")), "a version is never a path: a leading ~ is not expanded");
    }

    @Test
    void aPlaceholderTheCommandIsNotGivenIsRefusedNotPassedThroughLiterally() {
        // the incident: the safety backup wrote the database to a file literally named {file}
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandTemplate.fill(
                "backups.commands.safetyBackup", "pg_dump app > {file}", Map.of(CommandTemplate.FOLDER, "/b")));
        assertEquals("backups.commands.safetyBackup: the command 'pg_dump app > {file}': {file} is not filled in for this command: "
                + "it would reach the shell as the literal text {file}; this command may use: {folder}", e.getMessage());
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> CommandTemplate.fill(
                "deploy.commands.rollback", "./deploy.sh rollback {file}", Map.of()));
        assertTrue(r.getMessage().endsWith("this command takes no placeholder"), r.getMessage());
        // a value the caller gives that the one list does not allow: a programming error, named as such
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> CommandTemplate.fill(
                "deploy.commands.rollback", "./deploy.sh rollback", Map.of(CommandTemplate.VERSION, "1")));
        assertTrue(s.getMessage().contains("CommandTemplate.PLACEHOLDERS"), s.getMessage());
    }

    @Test
    void aPlaceholderInsideTheTeamsQuotesIsRefused() {
        for (String t : List.of("restore \"{file}\"", "restore '{file}'", "restore \"a \\\" {file}\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CommandTemplate.fill("backups.commands.restoreScratch", t, Map.of(CommandTemplate.FILE, "x")), t);
            assertTrue(e.getMessage().endsWith("{file} is inside quotes: write it bare, the console quotes the value itself"), e.getMessage());
        }
    }

    @Test
    void theShellsOwnBracesAreLeftAlone() {
        String t = "f=${HOME}/x; for d in {a,b}; do { echo \\{file}; }; done; awk '{print}' {file}; echo \"${f:-none}\"";
        assertEquals(Optional.empty(), CommandTemplate.problem(t, List.of(CommandTemplate.FILE)));
        assertEquals("f=${HOME}/x; for d in {a,b}; do { echo \\{file}; }; done; awk '{print}' /b/x.sql; echo \"${f:-none}\"",
                CommandTemplate.fill("backups.commands.restoreScratch", t, Map.of(CommandTemplate.FILE, "/b/x.sql")));
        // a bare {word} is no shell syntax: it is a placeholder, and an unknown one is refused
        assertTrue(CommandTemplate.problem("echo {print}", List.of()).isPresent());
    }

    /**
     * A shell comment is the shell's: its apostrophe ("# don't") opens no quote — no false refusal, and a placeholder the
     * team quoted after it is still seen quoted (else its value, quoted again, would stand outside quotes and run).
     */
    @Test
    void aShellCommentOpensNoQuoteAndHoldsNoPlaceholder() throws Exception {
        String note = "# don't run this by hand\n./restore.sh {file} {database} # it's the console's";
        assertEquals(Optional.empty(), CommandTemplate.problem(note, List.of(CommandTemplate.FILE, CommandTemplate.DATABASE)));
        assertEquals("# don't run this by hand\n./restore.sh /b/x.sql app # it's the console's", CommandTemplate.fill(
                "backups.commands.restore", note, Map.of(CommandTemplate.FILE, "/b/x.sql", CommandTemplate.DATABASE, "app")));
        String v = "$(touch PWNED)";
        String cmd = CommandTemplate.fill("backups.commands.restore", "true;# don't\nprintf '[%s]\\n' {file} {database}",
                Map.of(CommandTemplate.FILE, v, CommandTemplate.DATABASE, "app"));
        assertEquals("[" + v + "]\n[app]\n", sh(dir, cmd), cmd);
        assertFalse(Files.exists(dir.resolve("PWNED")), cmd);

        // the team's quotes after a comment's apostrophe are still quotes: refused, never filled
        for (String t : List.of("true # don't\nprintf '[%s]' '{file}'", "# don't\nrestore \"{file}\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CommandTemplate.fill("backups.commands.restoreScratch", t, Map.of(CommandTemplate.FILE, v)), t);
            assertTrue(e.getMessage().endsWith("{file} is inside quotes: write it bare, the console quotes the value itself"),
                    e.getMessage());
        }
        // a placeholder in a comment is not one (nothing reaches the shell there), and a # inside a word, quotes or
        // after an escape is no comment
        assertEquals(Optional.empty(), CommandTemplate.problem("./run.sh # was: ./run.sh {nope}", List.of()));
        assertTrue(CommandTemplate.problem("echo a#{nope}", List.of()).isPresent());
        assertTrue(CommandTemplate.problem("echo '# {file}'", List.of(CommandTemplate.FILE)).orElseThrow().contains("inside quotes"));
        assertTrue(CommandTemplate.problem("echo a\\ #{nope}", List.of()).isPresent());
        assertEquals("echo a\\ #/b/x", CommandTemplate.fill("backups.commands.restoreScratch", "echo a\\ #{file}",
                Map.of(CommandTemplate.FILE, "/b/x")));
        assertEquals("a #/b/x\n", sh(dir, CommandTemplate.fill("backups.commands.restoreScratch", "echo a\\ #{file}",
                Map.of(CommandTemplate.FILE, "/b/x"))));
    }

    // ------------------------------------------------------------------ the loader

    /** An environments file with {@code command} at command key {@code k}, on the file's last line. */
    static String file(String k, String command) {
        String q = "'" + command.replace("'", "''") + "'";
        String section = switch (k.substring(0, k.indexOf('.'))) {
            case "deploy" -> k.equals(CommandTemplate.ROLLBACK_TYPE) ? "    deploy:\n      rollbackTypes:\n        deployment: " + q + "\n"
                    : k.startsWith("deploy.commands.")
                    ? "    deploy:\n" + (k.equals("deploy.commands.rollback") ? "      model: single\n" : "") + "      commands:\n        " + k.substring("deploy.commands.".length()) + ": " + q + "\n"
                    : "    deploy:\n      " + k.substring("deploy.".length()) + ": " + q + "\n";
            case "backups" -> "    backups:\n      commands:\n        " + k.substring("backups.commands.".length()) + ": " + q + "\n";
            case "docker" -> "    docker:\n      " + k.substring("docker.".length()) + ": " + q + "\n";
            case "slots" -> "    slots:\n      " + k.substring("slots.".length()) + ": " + q + "\n";
            default -> throw new AssertionError(k);
        };
        return "environments:\n  prod:\n    ssh: { host: h }\n" + section;
    }

    static List<String> keys() {
        return new ArrayList<>(CommandTemplate.PLACEHOLDERS.keySet());
    }

    /** A command every key accepts: its own placeholders, bare ("deploy" needs {version}, containerName {service} and {slot}). */
    static String valid(String key) {
        StringBuilder b = new StringBuilder("./run.sh");
        CommandTemplate.placeholders(key).forEach(p -> b.append(" {").append(p).append('}'));
        return b.toString();
    }

    @Test
    void everyCommandKeyRefusesAPlaceholderItDoesNotGetWithFileLineAndWhatItMayUse() {
        assertEquals(16, CommandTemplate.PLACEHOLDERS.size(), "every command key of the file: " + CommandTemplate.PLACEHOLDERS.keySet());
        for (String k : keys()) {
            String text = file(k, valid(k) + " {nope}");
            ConfigException e = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, text), k);
            assertEquals(text.split("\n").length, e.line(), k + ": the line of the command");
            String field = "environments.prod." + k.replace("<name>", "deployment");
            assertEquals(field, e.field());
            List<String> allowed = CommandTemplate.placeholders(k);
            String may = allowed.isEmpty() ? "this command takes no placeholder"
                    : "this command may use: " + String.join(", ", allowed.stream().map(p -> "{" + p + "}").toList());
            assertEquals("envs.yaml:" + e.line() + ": " + field + ": {nope} is not filled in for this command: it would reach "
                    + "the shell as the literal text {nope}; " + may, e.getMessage());
        }
    }

    @Test
    void everyCommandKeyAcceptsItsOwnPlaceholders() {
        for (String k : keys()) {
            EnvironmentsFile f = EnvironmentsFile.parse(F, file(k, valid(k)));
            Environment e = f.require("prod");
            String got = switch (k) {
                case "deploy.liveSlotCommand" -> e.deploy().liveSlotCommand();
                case "docker.dialStdioCommand" -> e.docker().dialStdioCommand();
                case "slots.containerName" -> e.slots().containerName();
                case CommandTemplate.ROLLBACK_TYPE -> e.deploy().rollbackTypes().get("deployment");
                default -> k.startsWith("deploy.") ? e.deploy().commands().get(k.substring("deploy.commands.".length()))
                        : e.backups().commands().get(k.substring("backups.commands.".length()));
            };
            assertEquals(valid(k), got, k);
        }
    }

    @Test
    void theIncidentsCommandsAreRefusedWhenTheFileIsLoaded() {
        ConfigException safety = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh: { host: h }
                    backups:
                      folders: [ /srv/b ]
                      commands:
                        safetyBackup: pg_dump app > {file}
                """));
        assertEquals("envs.yaml:7: environments.prod.backups.commands.safetyBackup: {file} is not filled in for this command: it "
                + "would reach the shell as the literal text {file}; this command may use: {folder}", safety.getMessage());
        ConfigException rollback = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh: { host: h }
                    deploy:
                      commands:
                        rollback: ./deploy.sh rollback {file}
                """));
        assertEquals("envs.yaml:6: environments.prod.deploy.commands.rollback: {file} is not filled in for this command: it "
                + "would reach the shell as the literal text {file}; this command may use: {backup}", rollback.getMessage());
        ConfigException quoted = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh: { host: h }
                    backups:
                      commands:
                        restore: ./restore.sh "{file}"
                """));
        assertEquals("envs.yaml:6: environments.prod.backups.commands.restore: {file} is inside quotes: write it bare, the console "
                + "quotes the value itself", quoted.getMessage());
    }

    /**
     * The shell's parameter syntax around a placeholder's name is the shell's variable of that name, which nothing sets:
     * {@code pg_dump app > ${folder}/x.sql} wrote to /x.sql. Refused when the file is loaded, with the file, the line and
     * what the command may use; a variable of another name is the shell's own.
     */
    @Test
    void aShellParameterAroundAPlaceholderNameIsRefusedWhenTheFileIsLoaded() {
        for (String t : List.of("./restore.sh ${file} {database}", "./restore.sh \"${file}\" {database}",
                "./restore.sh ${file:-/b/latest.sql.gz} {database}", "f=${file%.gz}; ./restore.sh {file} {database}",
                "echo ${#file}; ./restore.sh {file} {database}")) {
            String text = file("backups.commands.restore", t);
            ConfigException e = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, text), t);
            assertEquals(6, e.line(), t);
            String shown = t.substring(t.indexOf("${"), t.indexOf('}', t.indexOf("${")) + 1);
            assertEquals("envs.yaml:6: environments.prod.backups.commands.restore: " + shown + " is the shell's variable file, which "
                    + "nothing sets, not the placeholder {file}: write {file} bare, the console quotes the value itself; this command "
                    + "may use: {file}, {database} (a shell variable of your own needs another name)", e.getMessage(), t);
        }
        ConfigException other = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F,
                file("backups.commands.safetyBackup", "pg_dump app > ${file}")));
        assertEquals("envs.yaml:6: environments.prod.backups.commands.safetyBackup: ${file} is the shell's variable file, which nothing "
                + "sets, not the placeholder {file}: {file} is not filled in for this command; this command may use: {folder} "
                + "(a shell variable of your own needs another name)", other.getMessage());
        // the shell's own variables stay the shell's
        assertEquals(Optional.empty(), CommandTemplate.problem("f=${HOME}/b/${STAMP:-x}.sql.gz; pg_dump app > \"$f\" && echo {folder}",
                List.of(CommandTemplate.FOLDER)));
        assertThrows(IllegalArgumentException.class, () -> CommandTemplate.fill("backups.commands.restoreScratch", "./r.sh ${file}",
                Map.of(CommandTemplate.FILE, "/b/x")), "the filler refuses it too");
    }

    /** A placeholder's name in another case is no placeholder — quoted too, where only placeholders' names are read. */
    @Test
    void aQuotedPlaceholderInAnotherCaseIsRefusedWhenTheFileIsLoaded() {
        ConfigException e = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh: { host: h }
                    backups:
                      folders: [ /srv/b ]
                      commands:
                        safetyBackup: pg_dump app > '{Folder}/safety.sql'
                """));
        assertEquals("envs.yaml:7: environments.prod.backups.commands.safetyBackup: {Folder} is not filled in for this command: it "
                + "would reach the shell as the literal text {Folder}; this command may use: {folder}", e.getMessage());
        for (String t : List.of("./restore.sh \"{FILE}\" {database}", "./restore.sh {file} '{Database}'", "./restore.sh {File} {database}")) {
            assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, file("backups.commands.restore", t)), t);
        }
        // quoted words that are no placeholder's name, in any case, are the shell's (awk, jq)
        assertEquals(Optional.empty(), CommandTemplate.problem("awk '{print}' {file} | jq '{Name}'", List.of(CommandTemplate.FILE)));
    }

    @Test
    void theDefaultsUseOnlyTheirOwnPlaceholders() {
        Environment e = EnvironmentsFile.parse(F, "environments:\n  prod:\n    ssh: { host: h }\n    deploy: { workdir: ~/app }\n"
                + "    backups: { rpoHours: 26 }\n    slots: { names: [blue, green] }\n    docker: { socket: /var/run/docker.sock }\n")
                .require("prod");
        e.deploy().commands().forEach((k, v) -> assertEquals(Optional.empty(),
                CommandTemplate.problem(v, CommandTemplate.placeholders("deploy.commands." + k)), k));
        e.backups().commands().forEach((k, v) -> assertEquals(Optional.empty(),
                CommandTemplate.problem(v, CommandTemplate.placeholders("backups.commands." + k)), k));
        assertEquals(Optional.empty(), CommandTemplate.problem(e.deploy().liveSlotCommand(), List.of()));
        assertEquals(Optional.empty(), CommandTemplate.problem(e.docker().dialStdioCommand(), List.of()));
        assertEquals(Optional.empty(), CommandTemplate.problem(e.slots().containerName(), CommandTemplate.placeholders("slots.containerName")));
    }
}
