package io.dutydesk.core.slots;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.testing.TestEnvironments;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's one-exec read of the slots (live slot + docker inspect on the server): what its output says. */
class SlotsOnServerTest {
    private final Environment env = TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");
    private final SlotsReader reader = SlotsReader.onServer(env, null,
            Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), ZoneOffset.UTC));

    private String line(String service, String slot, String state, String health) {
        return SlotsReader.CONTAINER + "id-" + service + slot + "\t/" + env.slots().container(service, slot) + "\tselfology/"
                + service + ":v1.4.0\t" + state + "\t" + health + "\t2026-11-22T02:00:00.123456789Z\t2\t\t";
    }

    @Test
    void theLiveSlotAndEachContainerAsDockerSaysThem() {
        StringBuilder out = new StringBuilder("Active Slot:   green\nsomething else\n\n" + SlotsReader.CONTAINERS + "\n");
        for (String slot : env.slots().names()) {
            for (String service : env.slots().services()) {
                boolean sick = slot.equals("blue") && service.equals(env.slots().services().get(0));
                out.append(line(service, slot, "running", sick ? "unhealthy" : "healthy")).append('\n');
            }
        }
        SlotsSnapshot s = reader.parseState(new RemoteShell.ExecResult(0, out.toString(), "", Duration.ZERO));
        assertEquals("green", s.liveSlot());
        assertTrue(s.live().allReady());
        assertFalse(s.slot("blue").orElseThrow().allReady(), "blue's first service is unhealthy");
        var c = s.live().services().get(0).container().orElseThrow();
        assertEquals("v1.4.0", c.version());
        assertEquals(2, c.restarts());
        assertEquals(Instant.parse("2026-11-22T02:00:00.123456789Z"), c.startedAt());
        assertEquals(env.slots().container(env.slots().services().get(0), "green"), c.name(), "Docker's leading / dropped");
    }

    /**
     * The state read inside the action lock (rollback --yes): its exit status on its last line; a read cut by its bound
     * names who did not answer, as the read before the lock did — Docker when the live slot was read, else the live command.
     */
    @Test
    void aStateReadInsideTheLockThatTimedOutNamesWhoDidNotAnswer() {
        String rc = "@@DUTYDESK-STATE-RC ";
        String docker = SlotsReader.BEGIN + "\nActive Slot: blue\n\n" + SlotsReader.CONTAINERS + "\n\n" + rc + "124\n";
        var e = assertThrows(java.util.concurrent.CompletionException.class, () -> reader.parseStateInLock(docker, rc, Duration.ofSeconds(30)));
        assertEquals("Docker on the server did not answer within 30 s", e.getCause().getMessage());
        assertTrue(e.getCause() instanceof java.util.concurrent.TimeoutException);
        String live = SlotsReader.BEGIN + "\n\n" + rc + "137\n";
        var l = assertThrows(java.util.concurrent.CompletionException.class, () -> reader.parseStateInLock(live, rc, Duration.ofSeconds(30)));
        assertTrue(l.getCause().getMessage().startsWith("the live slot command '") && l.getCause().getMessage().endsWith("did not answer within 30 s"),
                l.getCause().getMessage());
        SlotsSnapshot s = reader.parseStateInLock(SlotsReader.BEGIN + "\nActive Slot: green\n\n" + SlotsReader.CONTAINERS + "\n\n" + rc + "0\n",
                rc, Duration.ofSeconds(30));
        assertEquals("green", s.liveSlot(), "a read that ended is parsed as any");
    }

    /**
     * The read's standard error, replayed after its output on marked lines, is what a failure says why with — the live-slot
     * command's "curl: (7) …" and its exit status, as the read before the lock said them — and is no line of the state.
     */
    @Test
    void aStateReadInsideTheLockSaysWhyWithItsStandardError() {
        String rc = "@@DUTYDESK-STATE-RC ";
        String err = "@@DUTYDESK-STATE-ERR ";
        var e = assertThrows(IllegalStateException.class, () -> reader.parseStateInLock(SlotsReader.BEGIN + "\n\n" + SlotsReader.CONTAINERS
                + "\n\n" + err + "curl: (7) Failed to connect\n" + rc + "7\n", rc, err, Duration.ofSeconds(30)));
        assertTrue(e.getMessage().endsWith("(exit 7) did not say which slot is live: curl: (7) Failed to connect"), e.getMessage());
        // a warning on stderr beside a good read: the read stands, the warning is not taken for a container or the live slot
        SlotsSnapshot s = reader.parseStateInLock(SlotsReader.BEGIN + "\nActive Slot: green\n\n" + SlotsReader.CONTAINERS + "\n\n"
                + err + "Active Slot: blue\n" + rc + "0\n", rc, err, Duration.ofSeconds(30));
        assertEquals("green", s.liveSlot());
    }

    @Test
    void aMissingContainerIsMissingNotAnError() {
        String out = "Active Slot: blue\n\n" + SlotsReader.CONTAINERS + "\n";
        SlotsSnapshot s = reader.parseState(new RemoteShell.ExecResult(0, out, "", Duration.ZERO));
        assertEquals("blue", s.liveSlot());
        assertTrue(s.slot("green").orElseThrow().empty());
    }

    @Test
    void dockerNotAnsweringFailsTheReadWithDockersWords() {
        String out = "Active Slot: blue\n\n" + SlotsReader.CONTAINERS + "\n" + SlotsReader.NO_DOCKER
                + " Cannot connect to the Docker daemon at unix:///var/run/docker.sock\n";
        var e = assertThrows(IllegalStateException.class,
                () -> reader.parseState(new RemoteShell.ExecResult(0, out, "", Duration.ZERO)));
        assertTrue(e.getMessage().contains("docker on the server does not answer: Cannot connect"), e.getMessage());
    }

    @Test
    void noLiveSlotInTheOutputFailsAsTheLiveSlotReadFails() {
        String out = "nothing here\n" + SlotsReader.CONTAINERS + "\n";
        var e = assertThrows(IllegalStateException.class,
                () -> reader.parseState(new RemoteShell.ExecResult(3, out, "status: not found", Duration.ZERO)));
        assertTrue(e.getMessage().contains("did not say which slot is live: status: not found"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> reader.parseState(new RemoteShell.ExecResult(255, "", "", Duration.ZERO)), "a cut output");
    }

    @TempDir
    Path tmp;

    /**
     * The containers' part of the script run by a real sh against a stand-in {@code docker} that answers as Docker 28 does:
     * {@code container inspect --format F NAME…} prints each container found (here the file {@code c/NAME}, a whole
     * line) and, for each one missing, an empty line on stdout and "No such container" on stderr, exit 1.
     */
    private RemoteShell.ExecResult run(String path) throws Exception {
        String script = reader.stateScript();
        String containers = script.substring(script.indexOf("DOCKER_HOST="));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "echo 'Active Slot: blue'; echo '" + SlotsReader.CONTAINERS + "'; "
                + containers);
        pb.environment().put("PATH", path);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new RemoteShell.ExecResult(p.exitValue(), out, err, Duration.ZERO);
    }

    private Path fakeDocker() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createDirectories(tmp.resolve("c"));
        String d = io.dutydesk.core.ShellQuote.quote(tmp.toString());
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\nD=" + d + "\n"
                + "printf '%s\\n' \"$*\" >> \"$D/calls\"\n"
                + "[ -f \"$D/down\" ] && { echo '[]'; echo 'Cannot connect to the Docker daemon at unix:///x. Is the docker daemon running?' >&2; exit 1; }\n"
                + "[ -f \"$D/killed\" ] && kill -9 $$\n"
                + "[ -f \"$D/warn\" ] && echo 'WARNING: Error loading config file: /home/d/.docker/config.json: permission denied' >&2\n"
                + "[ \"$1 $2 $3\" = 'container inspect --format' ] || { echo \"unexpected: $*\" >&2; exit 2; }\n"
                + "shift 4; rc=0; for n; do if [ -f \"$D/c/$n\" ]; then cat \"$D/c/$n\"; else echo; "
                + "echo \"Error response from daemon: No such container: $n\" >&2; rc=1; fi; done; exit $rc\n");
        Files.setPosixFilePermissions(bin.resolve("docker"), PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    @Test
    void byNameTheContainersAreOneDockerCallAndAMissingOneIsMissingNotAnError() throws Exception {
        Path bin = fakeDocker();
        for (String slot : env.slots().names()) {
            for (String service : env.slots().services()) {
                if (!(slot.equals("green") && service.equals(env.slots().services().get(1)))) {
                    Files.writeString(tmp.resolve("c").resolve(env.slots().container(service, slot)), line(service, slot, "running", "healthy") + "\n");
                }
            }
        }
        SlotsSnapshot s = reader.parseState(run(bin + ":/usr/bin:/bin"));
        assertEquals("blue", s.liveSlot());
        assertTrue(s.slot("blue").orElseThrow().allReady());
        SlotState green = s.slot("green").orElseThrow();
        assertFalse(green.allReady());
        assertTrue(green.services().get(1).container().isEmpty(), "the missing one is missing");
        assertTrue(green.services().get(0).container().isPresent());
        List<String> calls = Files.readAllLines(tmp.resolve("calls"));
        assertEquals(1, calls.size(), "one docker call: " + calls);
        for (String slot : env.slots().names()) {
            for (String service : env.slots().services()) {
                assertTrue(calls.get(0).contains(" " + env.slots().container(service, slot)), calls.get(0));
            }
        }
        // none of them there: the slots are empty, not unknown
        for (Path f : Files.newDirectoryStream(tmp.resolve("c"))) {
            Files.delete(f);
        }
        SlotsSnapshot none = reader.parseState(run(bin + ":/usr/bin:/bin"));
        assertTrue(none.slot("blue").orElseThrow().empty() && none.slot("green").orElseThrow().empty());
    }

    @Test
    void byNameDockersWarningsAreNotFailuresButItsExitStatusIs() throws Exception {
        Path bin = fakeDocker();
        String blue = env.slots().container(env.slots().services().get(0), "blue");
        Files.writeString(tmp.resolve("c").resolve(blue), line(env.slots().services().get(0), "blue", "running", "healthy") + "\n");
        // a warning on every call (a ~/.docker docker cannot read), exit 1 for the missing ones: a read all the same
        Files.writeString(tmp.resolve("warn"), "");
        SlotsSnapshot s = reader.parseState(run(bin + ":/usr/bin:/bin"));
        assertTrue(s.slot("blue").orElseThrow().services().get(0).container().isPresent());
        assertTrue(s.slot("green").orElseThrow().empty());
        // every container there: exit 0 with the warning — a read
        for (String slot : env.slots().names()) {
            for (String service : env.slots().services()) {
                Files.writeString(tmp.resolve("c").resolve(env.slots().container(service, slot)), line(service, slot, "running", "healthy") + "\n");
            }
        }
        assertTrue(reader.parseState(run(bin + ":/usr/bin:/bin")).live().allReady());
        // docker killed (nothing on stderr, exit 137): never "every container missing"
        Files.writeString(tmp.resolve("killed"), "");
        var e = assertThrows(IllegalStateException.class, () -> reader.parseState(run(bin + ":/usr/bin:/bin")));
        // (the shell's own word for it, "Killed", when it says one; else the exit status)
        assertTrue(e.getMessage().matches("(?s).*docker on the server does not answer: (Killed|docker exited 137).*"), e.getMessage());
    }

    @Test
    void byNameADockerThatDoesNotAnswerOrIsNotThereFailsTheReadWithItsWords() throws Exception {
        Path bin = fakeDocker();
        Files.writeString(tmp.resolve("down"), "");
        var e = assertThrows(IllegalStateException.class, () -> reader.parseState(run(bin + ":/usr/bin:/bin")));
        assertTrue(e.getMessage().contains("docker on the server does not answer: Cannot connect to the Docker daemon"), e.getMessage());
        var none = assertThrows(IllegalStateException.class, () -> reader.parseState(run("/nonexistent")));
        assertTrue(none.getMessage().contains("docker on the server does not answer: ") && none.getMessage().contains("docker"),
                none.getMessage());
    }

    /**
     * A stand-in for the SSH adapter: runs the command in a real sh with {@code path}, passes each stdout line on as it
     * comes, and once {@code hung} exists (the stand-in docker is called and hangs) gives up as the adapter does at the
     * exec's timeout — in its words, which quote the command's first characters.
     */
    /** A stand-in shell that only runs commands (these tests read no file), its timeout in the SSH adapter's words. */
    private abstract static class ExecOnly implements RemoteShell {
        static <T> java.util.concurrent.CompletableFuture<T> timedOut(String command, Duration timeout) {
            return java.util.concurrent.CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException(
                    "'" + command.substring(0, Math.min(57, command.length())) + "...' did not finish within " + timeout.toMillis() + " ms"));
        }

        @Override
        public java.util.concurrent.CompletableFuture<byte[]> readFile(String p, long max) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.concurrent.CompletableFuture<List<RemoteFile>> list(String folder) {
            throw new UnsupportedOperationException();
        }
    }

    private RemoteShell hangingShell(String path, Path hung) {
        return new ExecOnly() {
            @Override
            public java.util.concurrent.CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                try {
                    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD);
                    pb.environment().put("PATH", path);
                    Process p = pb.start();
                    p.getOutputStream().close();
                    java.util.concurrent.atomic.AtomicBoolean liveEnded = new java.util.concurrent.atomic.AtomicBoolean();
                    Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                            StandardCharsets.UTF_8)).lines().forEach(x -> {
                                liveEnded.compareAndSet(false, x.startsWith(SlotsReader.LIVE_END));
                                l.line(false, x);
                            }));
                    reader.start();
                    // the live slot command and docker run side by side: Docker hangs once the live part has ended and docker is in
                    io.dutydesk.testing.Eventually.await("the stand-in docker is called and the live slot read", Duration.ofSeconds(20),
                            () -> Files.exists(hung) && liveEnded.get());
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    reader.join(10_000);
                    return timedOut(command, timeout);
                } catch (Exception e) {
                    return java.util.concurrent.CompletableFuture.failedFuture(e);
                }
            }

        };
    }

    /** dockerd paused (kill -STOP): the action's read hangs in docker; the failure names Docker, never the script's words. */
    @Test
    void aDockerThatHangsIsNamedWhenTheReadTimesOut() throws Exception {
        Path bin = fakeDocker();
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\n: > " + io.dutydesk.core.ShellQuote.quote(tmp.resolve("hung").toString())
                + "\nexec sleep 60\n");
        SlotsReader onServer = SlotsReader.onServer(env, hangingShell(bin + ":/usr/bin:/bin", tmp.resolve("hung")), Clock.systemUTC());
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> onServer.readForAction().get(60, TimeUnit.SECONDS));
        // this environment's live slot command is not on this machine: that is said too, after Docker
        String said = io.dutydesk.core.Errors.describe(e);
        assertTrue(said.startsWith("Docker on the server did not answer within 30 s; '" + env.deploy().liveSlotCommand() + "' (exit ")
                && said.contains(") did not say which slot is live"), said);
    }

    /** A stand-in that passes these stdout lines on, then times out as the SSH adapter does. */
    private static RemoteShell timesOutAfter(String... lines) {
        return new ExecOnly() {
            @Override
            public java.util.concurrent.CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                for (String x : lines) {
                    l.line(false, x);
                }
                return timedOut(command, timeout);
            }

        };
    }

    @Test
    void aReadThatTimesOutNamesWhatDidNotAnswerByHowFarTheScriptGot() {
        String live = "the live slot command '" + env.deploy().liveSlotCommand() + "' on the server did not answer within 30 s";
        for (var c : List.of(
                List.of("the server (over SSH) did not answer within 30 s"),
                List.of(live, SlotsReader.BEGIN, "Active Slot:"),
                List.of("Docker on the server did not answer within 30 s", SlotsReader.BEGIN, "Active Slot: blue", "", SlotsReader.CONTAINERS),
                // the live slot read (it runs beside Docker's): Docker had not answered
                List.of("Docker on the server did not answer within 30 s", SlotsReader.BEGIN, "Active Slot: blue", "", SlotsReader.LIVE_END + "0"))) {
            SlotsReader r = SlotsReader.onServer(env, timesOutAfter(c.subList(1, c.size()).toArray(String[]::new)), Clock.systemUTC());
            var e = assertThrows(java.util.concurrent.CompletionException.class, () -> r.readForAction().join());
            assertEquals(c.get(0), io.dutydesk.core.Errors.describe(e), "after " + c.subList(1, c.size()));
            assertTrue(io.dutydesk.core.Errors.unwrap(e) instanceof java.util.concurrent.TimeoutException);
        }
        // the live slot command alone (the window's action read) names the command too
        var e = assertThrows(java.util.concurrent.CompletionException.class,
                () -> SlotsReader.onServer(env, timesOutAfter(), Clock.systemUTC()).liveSlot().join());
        assertEquals(live, io.dutydesk.core.Errors.describe(e));
    }

    /** The script's first line is its own marker: the live slot is read after it, a pattern anchored at the start too. */
    @Test
    void theBeginMarkerIsNotPartOfTheLiveSlotCommandsOutput() {
        Environment anchored = io.dutydesk.core.config.EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1 }
                    deploy: { liveSlotCommand: 'curl -fsS http://127.0.0.1/live-upstream', liveSlotPattern: '^(\\w+)' }
                """).require("ref");
        String out = SlotsReader.BEGIN + "\nblue\n\n" + SlotsReader.CONTAINERS + "\n";
        assertEquals("blue", SlotsReader.onServer(anchored, null, Clock.systemUTC())
                .parseState(new RemoteShell.ExecResult(0, out, "", Duration.ZERO)).liveSlot());
        assertTrue(reader.stateScript().startsWith("echo '" + SlotsReader.BEGIN + "'; "), "the script's first words print it");
    }

    /** The live slot command and Docker are read side by side: here the live command ends only once docker was called. */
    @Test
    void theLiveSlotAndTheContainersAreReadSideBySide() throws Exception {
        Path bin = fakeDocker();
        Path work = Files.createDirectories(tmp.resolve("work"));
        String called = io.dutydesk.core.ShellQuote.quote(tmp.resolve("calls").toString());
        // one after the other, the live command would give up after ~5 s and say no slot
        Environment side = io.dutydesk.core.config.EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1 }
                    deploy:
                      workdir: %s
                      liveSlotCommand: 'i=0; while [ ! -s %s ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done; [ -s %s ] && echo "Active Slot: green" || echo "Active Slot: nothing"'
                """.formatted(work, called.replace("'", "''"), called.replace("'", "''"))).require("ref");
        for (String slot : side.slots().names()) {
            for (String service : side.slots().services()) {
                Files.writeString(tmp.resolve("c").resolve(side.slots().container(service, slot)), line(service, slot, "running", "healthy") + "\n");
            }
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", SlotsReader.onServer(side, null, Clock.systemUTC()).stateScript());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        SlotsSnapshot s = SlotsReader.onServer(side, null, Clock.systemUTC())
                .parseState(new RemoteShell.ExecResult(p.exitValue(), out, err, Duration.ZERO));
        assertEquals("green", s.liveSlot(), out + err);
        assertTrue(s.slot("blue").orElseThrow().allReady(), out);
        // the live part's lines come whole before the containers', in the order parseState reads them
        assertTrue(out.startsWith(SlotsReader.BEGIN + "\nActive Slot: green\n\n" + SlotsReader.LIVE_END + "0\n" + SlotsReader.CONTAINERS + "\n"), out);
    }

    /** The live slot command's own exit status is the one said when it names no slot (not Docker's, read beside it). */
    @Test
    void aLiveSlotCommandThatSaysNoSlotIsNamedWithItsOwnExitStatus() {
        String out = SlotsReader.BEGIN + "\ncurl: (7) nothing\n\n" + SlotsReader.LIVE_END + "7\n" + SlotsReader.CONTAINERS + "\n";
        var e = assertThrows(IllegalStateException.class, () -> reader.parseState(new RemoteShell.ExecResult(0, out, "", Duration.ZERO)));
        assertTrue(e.getMessage().contains("(exit 7) did not say which slot is live"), e.getMessage());
        // the marker is never read as the live slot's words
        String ok = SlotsReader.BEGIN + "\nActive Slot: blue\n\n" + SlotsReader.LIVE_END + "0\n" + SlotsReader.CONTAINERS + "\n";
        assertEquals("blue", reader.parseState(new RemoteShell.ExecResult(0, ok, "", Duration.ZERO)).liveSlot());
    }

    /** Inside the lock, a read cut by its bound after the live part ended names Docker. */
    @Test
    void aReadInTheLockCutAfterTheLivePartNamesDocker() {
        String rc = "@@RC ";
        var e = assertThrows(java.util.concurrent.CompletionException.class, () -> reader.parseStateInLock(SlotsReader.BEGIN
                + "\nActive Slot: blue\n\n" + SlotsReader.LIVE_END + "0\n" + rc + "124\n", rc, Duration.ofSeconds(30)));
        assertEquals("Docker on the server did not answer within 30 s", io.dutydesk.core.Errors.describe(e));
        var live = assertThrows(java.util.concurrent.CompletionException.class, () -> reader.parseStateInLock(SlotsReader.BEGIN
                + "\nActive Sl\n" + rc + "124\n", rc, Duration.ofSeconds(30)));
        assertTrue(io.dutydesk.core.Errors.describe(live).startsWith("the live slot command"), io.dutydesk.core.Errors.describe(live));
    }

    /** The environment {@code ref} with {@code liveSlotCommand} run in this test's folder. */
    private Environment withLiveCommand(String liveSlotCommand) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        return io.dutydesk.core.config.EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  ref:
                    ssh: { host: 127.0.0.1 }
                    deploy:
                      workdir: %s
                      liveSlotCommand: '%s'
                """.formatted(work, liveSlotCommand.replace("'", "''"))).require("ref");
    }

    /**
     * A stand-in for the SSH adapter and sshd: runs the command in a real sh with {@code env}, passes each line on as it
     * comes, and at {@code giveUp} does what the adapter does at its timeout — closes the channel and fails — while the
     * server's processes are left to themselves, as sshd leaves them (it signals none). {@code gaveUp} says whether it did.
     */
    private RemoteShell sshLike(java.util.Map<String, String> env, Duration giveUp, java.util.concurrent.atomic.AtomicBoolean gaveUp) {
        return new ExecOnly() {
            @Override
            public java.util.concurrent.CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command);
                        pb.environment().putAll(env);
                        Process p = pb.start();
                        p.getOutputStream().close();
                        StringBuilder out = new StringBuilder();
                        StringBuilder err = new StringBuilder();
                        Thread o = pump(p.getInputStream(), false, out, l);
                        Thread e = pump(p.getErrorStream(), true, err, l);
                        if (!p.waitFor(giveUp.toMillis(), TimeUnit.MILLISECONDS)) {
                            gaveUp.set(true);
                            p.getInputStream().close();
                            p.getErrorStream().close();
                            throw new java.util.concurrent.CompletionException(timedOut(command, timeout).handle((v, x) -> x).join());
                        }
                        o.join(10_000);
                        e.join(10_000);
                        synchronized (out) {
                            synchronized (err) {
                                return new ExecResult(p.exitValue(), out.toString(), err.toString(), Duration.ZERO);
                            }
                        }
                    } catch (java.io.IOException | InterruptedException x) {
                        throw new java.util.concurrent.CompletionException(x);
                    }
                });
            }
        };
    }

    private static Thread pump(java.io.InputStream in, boolean stderr, StringBuilder into, RemoteShell.OutputListener l) {
        Thread t = new Thread(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
                String x;
                while ((x = r.readLine()) != null) {
                    synchronized (into) {
                        into.append(x).append('\n');
                    }
                    l.line(stderr, x);
                }
            } catch (java.io.IOException closed) {
                // the stand-in gave up and closed the channel
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The live processes whose environment holds {@code DUTYDESK_TEST_RUN=mark} (zombies have none). */
    private static List<ProcessHandle> living(String mark) {
        return ProcessHandle.allProcesses().filter(h -> {
            try {
                return new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "environ")), StandardCharsets.ISO_8859_1)
                        .contains("DUTYDESK_TEST_RUN=" + mark + "\0");
            } catch (java.io.IOException | RuntimeException gone) {
                return false;
            }
        }).toList();
    }

    /** What of the run marked {@code mark} still lives once {@code within} passed, or nothing as soon as nothing does. */
    private static List<String> leftAfter(String mark, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        List<ProcessHandle> left = living(mark);
        while (!left.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
            left = living(mark);
        }
        return left.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList();
    }

    /** A PATH of this machine's commands without timeout(1) (a server without coreutils' timeout). */
    private Path toolsWithoutTimeout() throws java.io.IOException {
        return io.dutydesk.testing.ToolsWithout.in(tmp, "timeout");
    }

    /**
     * The plain read (readForAction: the CLI's plan, its verification, attach, status) is bounded on the server as the reads
     * inside the lock are: a Docker that does not answer ends the read at the bound, said by the server (not by the
     * console's own timeout), naming Docker and keeping the live slot it read — and nothing of the read is left on the
     * server, with or without the server's timeout(1). Before, the read had no bound there: the console gave up at its 30 s
     * and closed the channel, and the docker CLI, stuck on the paused daemon, and the shells waiting on it stayed on the
     * server until Docker answered — one more set at every read.
     */
    @Test
    void aPlainReadThatHangsInDockerIsEndedOnTheServerWithAllItStarted() throws Exception {
        Path bin = fakeDocker();
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\nexec sleep 120\n");
        Environment blue = withLiveCommand("echo \"Active Slot: blue\"");
        for (String path : List.of(bin + ":" + System.getenv("PATH"), bin + ":" + toolsWithoutTimeout())) {
            String mark = java.util.UUID.randomUUID().toString();
            var gaveUp = new java.util.concurrent.atomic.AtomicBoolean();
            try {
                SlotsReader r = SlotsReader.onServer(blue, sshLike(java.util.Map.of("PATH", path, "DUTYDESK_CHECK_SECONDS", "1",
                        "DUTYDESK_TEST_RUN", mark), Duration.ofSeconds(20), gaveUp), Clock.systemUTC());
                var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> r.readForAction().get(60, TimeUnit.SECONDS));
                assertEquals("Docker on the server did not answer within 30 s", io.dutydesk.core.Errors.describe(e), path);
                assertFalse(gaveUp.get(), "the server ended the read at its bound, not the console at its own timeout: " + path);
                SlotsReader.Unanswered u = assertInstanceOf(SlotsReader.Unanswered.class, io.dutydesk.core.Errors.unwrap(e));
                assertEquals(java.util.Optional.of("blue"), u.liveSlot(), "the live slot it read");
                assertEquals(List.of(), leftAfter(mark, Duration.ofSeconds(10)), "nothing of the read left on the server: " + path);
            } finally {
                living(mark).forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /**
     * A live slot command that hangs, read beside Docker in the background: the bound ends it too (it is in the read's process
     * group and session), the read names it, and nothing of it is left on the server.
     */
    @Test
    void aPlainReadWhoseLiveCommandHangsLeavesNothingOfItBehind() throws Exception {
        Path bin = fakeDocker();
        Environment hangs = withLiveCommand("sleep 120; echo \"Active Slot: blue\"");
        String mark = java.util.UUID.randomUUID().toString();
        var gaveUp = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            SlotsReader r = SlotsReader.onServer(hangs, sshLike(java.util.Map.of("PATH", bin + ":" + System.getenv("PATH"),
                    "DUTYDESK_CHECK_SECONDS", "1", "DUTYDESK_TEST_RUN", mark), Duration.ofSeconds(20), gaveUp), Clock.systemUTC());
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> r.readForAction().get(60, TimeUnit.SECONDS));
            assertEquals("the live slot command '" + hangs.deploy().liveSlotCommand() + "' on the server did not answer within 30 s",
                    io.dutydesk.core.Errors.describe(e));
            assertFalse(gaveUp.get(), "ended by the server's bound");
            assertEquals(List.of(), leftAfter(mark, Duration.ofSeconds(10)), "nothing of the read left on the server");
        } finally {
            living(mark).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * The live slot command failed (nginx down: curl's exit 7) and Docker did not answer (paused): both are said, where only
     * Docker was — the on-call fixed Docker and learned of nginx at the next attempt. Inside the lock, on the plain read's
     * timeout alike. A live slot it did read is kept with the timeout (the audit entry's live slot).
     */
    @Test
    void aReadCutAfterTheLiveCommandFailedNamesDockerAndTheLiveCommand() {
        String rc = "@@DUTYDESK-STATE-RC ";
        String err = "@@DUTYDESK-STATE-ERR ";
        String both = "Docker on the server did not answer within 30 s; '" + env.deploy().liveSlotCommand()
                + "' (exit 7) did not say which slot is live: curl: (7) Failed to connect";
        var e = assertThrows(java.util.concurrent.CompletionException.class, () -> reader.parseStateInLock(SlotsReader.BEGIN + "\n\n"
                + SlotsReader.LIVE_END + "7\n\n" + err + "curl: (7) Failed to connect\n" + rc + "124\n", rc, err, Duration.ofSeconds(30)));
        assertEquals(both, io.dutydesk.core.Errors.describe(e));
        assertEquals(java.util.Optional.empty(), assertInstanceOf(SlotsReader.Unanswered.class, e.getCause()).liveSlot());
        // the plain read's own timeout: the same words, from the lines it had (stdout and stderr)
        RemoteShell shell = new ExecOnly() {
            @Override
            public java.util.concurrent.CompletableFuture<ExecResult> exec(String command, Duration timeout, OutputListener l) {
                l.line(false, SlotsReader.BEGIN);
                l.line(true, "curl: (7) Failed to connect");
                l.line(false, "");
                l.line(false, SlotsReader.LIVE_END + "7");
                return timedOut(command, timeout);
            }
        };
        var p = assertThrows(java.util.concurrent.CompletionException.class,
                () -> SlotsReader.onServer(env, shell, Clock.systemUTC()).readForAction().join());
        assertEquals(both, io.dutydesk.core.Errors.describe(p));
        // the live slot read, Docker not: Docker alone is named, and the live slot kept
        var read = assertThrows(java.util.concurrent.CompletionException.class, () -> reader.parseStateInLock(SlotsReader.BEGIN
                + "\nActive Slot: green\n\n" + SlotsReader.LIVE_END + "0\n\n" + rc + "124\n", rc, err, Duration.ofSeconds(30)));
        assertEquals("Docker on the server did not answer within 30 s", io.dutydesk.core.Errors.describe(read));
        assertEquals(java.util.Optional.of("green"), assertInstanceOf(SlotsReader.Unanswered.class, read.getCause()).liveSlot());
    }
}
