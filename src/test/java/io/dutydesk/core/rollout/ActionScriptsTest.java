package io.dutydesk.core.rollout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server-side scripts, run by a real local sh (the reference host's ITs run them over SSH). */
class ActionScriptsTest {
    @TempDir
    Path tmp;

    private String sh(String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    private String state() {
        return tmp.resolve("state").toString();
    }

    private static String id(String action, int n) {
        return "20260101-120000-" + action + "-" + String.format("%08x", n);
    }

    private String startAndFollow(String id, String command, Optional<ActionScripts.Precondition> pre) throws Exception {
        String job = ActionScripts.job(tmp.toString(), command, pre, Duration.ofSeconds(30));
        return sh(ActionScripts.start(state(), id, job, "{\"id\":\"" + id + "\"}") + " && " + ActionScripts.follow(state(), id, 1));
    }

    private static ActionScripts.Precondition live(String says, String expected) {
        return new ActionScripts.Precondition("printf 'Active Slot:   %s\\n' " + says, Pattern.compile("Active Slot:\\s*(\\w+)"),
                expected, "live");
    }

    @Test
    void aStalePlanIsRefusedInsideTheLockAndTheCommandDoesNotRun() throws Exception {
        String out = startAndFollow(id("switch", 1), "touch ran", Optional.of(live("BLUE", "green")));
        assertTrue(out.contains(ActionScripts.REFUSED + "state changed since you confirmed: live is now blue; nothing was run"), out);
        assertTrue(out.contains(ActionScripts.EXIT + ActionScripts.EXIT_REFUSED), out);
        assertFalse(Files.exists(tmp.resolve("ran")), "the command did not run");
    }

    @Test
    void aPlanThatStillHoldsRuns() throws Exception {
        String out = startAndFollow(id("switch", 2), "touch ran; echo switched", Optional.of(live("green", "green")));
        assertTrue(out.contains("switched"), out);
        assertTrue(out.contains(ActionScripts.EXIT + "0"), out);
        assertTrue(Files.exists(tmp.resolve("ran")));
    }

    @Test
    void anUnreadableLiveSlotRefusesToo() throws Exception {
        String out = startAndFollow(id("rollback", 3), "touch ran", Optional.of(live("", "green")));
        assertTrue(out.contains(ActionScripts.REFUSED + "could not read live on the server"), out);
        assertFalse(Files.exists(tmp.resolve("ran")));
    }

    @Test
    void thePatternIsDataNotCode() throws Exception {
        // a pattern with shell and perl metacharacters is matched, not executed
        ActionScripts.Precondition p = new ActionScripts.Precondition("echo 'x $(touch pwned) green'",
                Pattern.compile("\\$\\(touch pwned\\) (\\w+)"), "green", "live");
        String out = startAndFollow(id("switch", 4), "echo ok", Optional.of(p));
        assertTrue(out.contains(ActionScripts.EXIT + "0"), out);
        assertFalse(Files.exists(tmp.resolve("pwned")));
    }

    @Test
    void theExitCodeAndAConfiguredCommandEndingInACommentSurvive() throws Exception {
        String out = startAndFollow(id("deploy", 5), "echo one; exit 3 # a comment", Optional.empty());
        assertTrue(out.contains("one"), out);
        assertTrue(out.contains(ActionScripts.EXIT + "3"), out);
    }

    @Test
    void manySimultaneousStartsOneWins() throws Exception {
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = id("race", 100 + i);
            String script = ActionScripts.start(state(), id, ActionScripts.job(tmp.toString(), "sleep 2", Optional.empty(),
                    Duration.ofSeconds(30)), "{}");
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return sh(script);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
        go.countDown();
        long won = all.stream().map(CompletableFuture::join).filter(o -> o.contains(ActionScripts.STARTED)).count();
        long busy = all.stream().map(CompletableFuture::join).filter(o -> o.contains(ActionScripts.BUSY)).count();
        pool.shutdown();
        assertEquals(1, won);
        assertEquals(n - 1, busy);
        String cur = sh(ActionScripts.current(state()));
        assertTrue(cur.startsWith(ActionScripts.BUSY + "20260101-120000-race-"), cur);
    }

    /** The pid the command wrote into {@code name}, once it is there. */
    private long pidIn(String name) throws Exception {
        Path f = tmp.resolve(name);
        io.dutydesk.testing.Eventually.await("the command wrote " + f, Duration.ofSeconds(20),
                () -> !read(f).isBlank());
        return Long.parseLong(Files.readString(f).strip());
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void kill9(long pid) throws Exception {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void aJobWhoseShellIsKilledHoldsTheLockUntilWhatItsScriptStartedHasEnded() throws Exception {
        String id = id("restore", 6);
        // the team's script: a long child (pg_restore, say), as its own process, the script waiting for it
        String started = sh(ActionScripts.start(state(), id, ActionScripts.job(tmp.toString(),
                "sleep 600 & echo $! > " + tmp.resolve("child") + "; wait", Optional.empty(), Duration.ofSeconds(600)), "{\"id\":\"" + id + "\"}"));
        assertTrue(started.contains(ActionScripts.STARTED + id), started);
        long child = pidIn("child");
        try {
            String pid = Files.readString(Path.of(state(), "actions", id + ".pid")).strip();
            kill9(Long.parseLong(pid)); // the job's shell, kill -9: the kernel drops the lock with its descriptor
            io.dutydesk.testing.Eventually.await("the job's shell gone", Duration.ofSeconds(10),
                    () -> ProcessHandle.of(Long.parseLong(pid)).map(h -> !h.isAlive()).orElse(true));

            String next = sh(ActionScripts.start(state(), id("deploy", 7), ActionScripts.job(tmp.toString(), "touch ran", Optional.empty(),
                    Duration.ofSeconds(60)), "{}"));
            assertTrue(next.contains(ActionScripts.BUSY + id), "refused with the holder named while its child runs: " + next);
            assertTrue(next.contains(ActionScripts.HELD + "its shell ended without an exit code (killed?), but what it started still runs: ")
                    && next.contains(child + " (sleep)"), next);
            assertFalse(next.contains(ActionScripts.STARTED), next);
            assertFalse(Files.exists(tmp.resolve("ran")), "nothing else ran");
            String cur = sh(ActionScripts.current(state()));
            assertTrue(cur.startsWith(ActionScripts.BUSY + id + "\n" + ActionScripts.HELD), cur);
            assertEquals(ActionScripts.STATE + id + " running\n", sh(ActionScripts.states(state(), List.of(id))));
            String lock = sh(ActionScripts.lockOrBusy(state()) + "echo locked");
            assertTrue(lock.contains(ActionScripts.BUSY + id) && !lock.contains("locked"), lock);
            // the script's process name only, never its command line (the whole job's text)
            assertFalse(next.contains("trap"), next);

            // following it: it runs until the child has ended, then it is over without an exit code
            Process follow = new ProcessBuilder("sh", "-c", ActionScripts.follow(state(), id, 1)).redirectErrorStream(true).start();
            follow.getOutputStream().close();
            assertFalse(follow.waitFor(1, TimeUnit.SECONDS), "followed while the child runs");
            kill9(child);
            assertTrue(follow.waitFor(20, TimeUnit.SECONDS), "over once nothing of it runs");
            String out = new String(follow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(out.endsWith(ActionScripts.EXIT + ActionScripts.EXIT_NONE + "\n"), out);
        } finally {
            kill9(child);
        }
        assertEquals(ActionScripts.STATE + id + " gone\n", sh(ActionScripts.states(state(), List.of(id))));
        assertEquals(ActionScripts.IDLE + "\n", sh(ActionScripts.current(state())));
        String next = startAndFollow(id("deploy", 8), "echo after", Optional.empty());
        assertTrue(next.contains("after") && next.contains(ActionScripts.EXIT + "0"), "free once nothing of it runs: " + next);
    }

    @Test
    void aScriptKilledOrEndedBeforeItsChildrenKeepsTheLockUntilTheyEndAndThenRecordsItsExit() throws Exception {
        String id = id("restore", 11);
        String job = ActionScripts.job(tmp.toString(), "sleep 600 & echo $! > " + tmp.resolve("child") + "; echo script-ends; exit 5",
                Optional.empty(), Duration.ofSeconds(600));
        Process run = new ProcessBuilder("sh", "-c", ActionScripts.start(state(), id, job, "{}") + " && "
                + ActionScripts.follow(state(), id, 1)).redirectErrorStream(true).start();
        run.getOutputStream().close();
        long child = pidIn("child");
        try {
            Path exit = Path.of(state(), "actions", id + ".exit");
            io.dutydesk.testing.Eventually.await("the job says what still runs", Duration.ofSeconds(20),
                    () -> read(Path.of(state(), "actions", id + ".log")).contains("the server lock is held until it ends"));
            String log = Files.readString(Path.of(state(), "actions", id + ".log"));
            assertTrue(log.contains("dutydesk: the command ended (exit 5) but what it started still runs: " + child + " (sleep)"), log);
            assertFalse(Files.exists(exit), "no exit file while its child runs");
            String next = sh(ActionScripts.start(state(), id("deploy", 12), ActionScripts.job(tmp.toString(), "touch ran",
                    Optional.empty(), Duration.ofSeconds(60)), "{}"));
            assertTrue(next.contains(ActionScripts.BUSY + id), next);
            assertFalse(run.waitFor(1, TimeUnit.SECONDS), "still followed");
            kill9(child);
            assertTrue(run.waitFor(20, TimeUnit.SECONDS));
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(out.contains("dutydesk: what the command started has ended") && out.endsWith(ActionScripts.EXIT + "5\n"), out);
        } finally {
            kill9(child);
            run.destroyForcibly();
        }
        assertFalse(Files.exists(tmp.resolve("ran")));
        assertEquals(ActionScripts.IDLE + "\n", sh(ActionScripts.current(state())));
    }

    @Test
    void aBoundedJobWaitsForWhatItsScriptLeftAtMostItsBoundThenStopsItAndLetsTheLockGo() throws Exception {
        String id = id("deploy", 14);
        String job = ActionScripts.job(tmp.toString(), "sleep 600 & echo $! > " + tmp.resolve("daemon") + "; exit 0",
                Optional.empty(), Duration.ofSeconds(2));
        Process run = new ProcessBuilder("sh", "-c", ActionScripts.start(state(), id, job, "{}") + " && "
                + ActionScripts.follow(state(), id, 1)).redirectErrorStream(true).start();
        run.getOutputStream().close();
        long daemon = pidIn("daemon");
        try {
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the job ends after its bound, not with its daemon");
            String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(out.contains("the server lock is held until it ends (at most 2 s more)"), out);
            assertTrue(out.contains("dutydesk: still running after the wait, stopped: " + daemon + " (sleep)"), out);
            assertTrue(out.endsWith(ActionScripts.EXIT + "0\n"), out);
            assertTrue(endedOrZombie(daemon), "the leftover was stopped");
        } finally {
            kill9(daemon);
            run.destroyForcibly();
        }
        assertEquals(ActionScripts.IDLE + "\n", sh(ActionScripts.current(state())));
    }

    /** Gone, or a zombie its new parent has not reaped yet (a container's init may never reap). */
    static boolean endedOrZombie(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return true;
        }
        try {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        }
    }

    @Test
    void theCommandRunsFromAFileOfItsOwnSoProcessListsAndKillReportsNeverCarryTheScript() throws Exception {
        String id = id("restore", 13);
        String job = ActionScripts.job(tmp.toString(), "echo the-teams-secret-recipe > /dev/null; sleep 600 & echo $! > "
                + tmp.resolve("sleeper") + "; echo $$ > " + tmp.resolve("child") + "; wait", Optional.empty(), null);
        String started = sh(ActionScripts.start(state(), id, job, "{}"));
        assertTrue(started.contains(ActionScripts.STARTED + id), started);
        long child = pidIn("child");
        long sleeper = pidIn("sleeper");
        try {
            String cmdline = Files.readString(Path.of("/proc/" + child + "/cmdline")).replace('\0', ' ');
            assertEquals("sh " + Path.of(state(), "actions", id + ".cmd") + " ", cmdline, "what ps shows of the team's script");
            assertFalse(cmdline.contains("the-teams-secret-recipe"), cmdline);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(state(), "actions", id + ".cmd"))));
        } finally {
            // the shell first: with its sleeper gone first, its bare `wait` could return 0 before the kill
            kill9(child);
            kill9(sleeper);
        }
        String out = within(Duration.ofSeconds(20), ActionScripts.follow(state(), id, 1));
        assertTrue(out.endsWith(ActionScripts.EXIT + "137\n"), out);
    }

    // ------------------------------------------------------------------ following a job that is over

    /** Runs {@code script} and returns its output, failing if it has not ended within {@code limit}. */
    private String within(Duration limit, String script) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            assertTrue(p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS), "still running after " + limit + ": " + script);
            return out.get(10, TimeUnit.SECONDS);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** A process that is not the job: what a job's pid may belong to once the job is gone. */
    private static Process unrelated() throws Exception {
        return new ProcessBuilder("sleep", "600").start();
    }

    private static String startTime(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(") ") + 2).split(" ")[19];
    }

    private Path action(String id, String log) throws Exception {
        Path a = Files.createDirectories(Path.of(state(), "actions"));
        Files.writeString(a.resolve(id + ".meta"), "{}");
        Files.writeString(a.resolve(id + ".log"), log);
        return a;
    }

    @Test
    void aJobThatEndedWhileNobodyFollowedIsReadToItsEndAtOnceThoughItsPidNowBelongsToAnotherProcess() throws Exception {
        String id = id("restore", 30);
        Path a = action(id, "one\ntwo\n");
        Files.writeString(a.resolve(id + ".exit"), "0\n");
        Process other = unrelated();
        try {
            Files.writeString(a.resolve(id + ".pid"), other.pid() + "\n");
            String out = within(Duration.ofSeconds(10), ActionScripts.follow(state(), id, 2));
            assertEquals("two\n" + ActionScripts.EXIT + "0\n", out);
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void aKilledJobWhosePidWasGivenToAnotherProcessIsOverToo() throws Exception {
        String id = id("restore", 31);
        Path a = action(id, "one\n");
        Process other = unrelated();
        try {
            // SIGKILLed: no exit file; its pid now belongs to a process that started at another time
            Files.writeString(a.resolve(id + ".pid"), other.pid() + "\n");
            Files.writeString(a.resolve(id + ".start"), "1\n");
            Files.writeString(Path.of(state(), "action.holder"), id + "\n");
            assertEquals("one\n" + ActionScripts.EXIT + ActionScripts.EXIT_NONE + "\n",
                    within(Duration.ofSeconds(10), ActionScripts.follow(state(), id, 1)));
            assertEquals(ActionScripts.STATE + id + " gone\n", within(Duration.ofSeconds(10), ActionScripts.states(state(), List.of(id))));
            assertEquals(ActionScripts.IDLE + "\n", within(Duration.ofSeconds(10), ActionScripts.current(state())));

            // the same pid with its own start time: that is the job, running
            Files.writeString(a.resolve(id + ".start"), startTime(other.pid()) + "\n");
            assertEquals(ActionScripts.STATE + id + " running\n", within(Duration.ofSeconds(10), ActionScripts.states(state(), List.of(id))));
            assertTrue(within(Duration.ofSeconds(10), ActionScripts.current(state())).startsWith(ActionScripts.BUSY + id), "busy");
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void followingEndsWhenTheExitFileAppearsEvenIfThePidLivesOn() throws Exception {
        // the job's pid alive (here: a process that is not the job, as a pid reused between the check and the follow)
        String id = id("restore", 32);
        Path a = action(id, "one\n");
        Process other = unrelated();
        try {
            Files.writeString(a.resolve(id + ".pid"), other.pid() + "\n");
            Files.writeString(a.resolve(id + ".start"), startTime(other.pid()) + "\n");
            Process follow = new ProcessBuilder("sh", "-c", ActionScripts.follow(state(), id, 1)).redirectErrorStream(true).start();
            follow.getOutputStream().close();
            try (java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(follow.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertEquals("one", in.readLine(), "following");
                // the job's last line and its exit file, while the follow runs
                Files.writeString(a.resolve(id + ".log"), "two\n", java.nio.file.StandardOpenOption.APPEND);
                Files.writeString(a.resolve(id + ".exit.tmp"), "0\n");
                Files.move(a.resolve(id + ".exit.tmp"), a.resolve(id + ".exit"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                assertTrue(follow.waitFor(10, TimeUnit.SECONDS), "the follow ended once the exit file appeared");
                assertEquals("two", in.readLine());
                assertEquals(ActionScripts.EXIT + "0", in.readLine());
                assertEquals(null, in.readLine());
            } finally {
                follow.descendants().forEach(ProcessHandle::destroyForcibly);
                follow.destroyForcibly();
            }
            assertTrue(other.isAlive(), "it ended although the pid lives on");
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    /**
     * A follower waits for a running job on the job's own lock (its RUN_FILE, held for the shell's life), not by a fork of
     * sleep every 10 ms beside the action (on a loaded 2-core host each look took CPU from the rollback itself). The
     * follow here finds sleep on its PATH as a recorder: the job's 0.6 s ran without one look.
     */
    @Test
    void aFollowerWaitsOnTheJobsLockWithoutLookingEveryTenMilliseconds() throws Exception {
        String id = id("rollback", 40);
        String job = ActionScripts.job(tmp.toString(), "sleep 0.6; echo switched", Optional.empty(), Duration.ofSeconds(30));
        assertTrue(sh(ActionScripts.start(state(), id, job, "{}")).contains(ActionScripts.STARTED + id));
        Path bin = Files.createDirectories(tmp.resolve("recording-sleep"));
        Path looks = tmp.resolve("looks");
        Files.writeString(bin.resolve("sleep"), "#!/bin/sh\necho \"$@\" >> " + looks + "\nexec /bin/sleep \"$@\"\n");
        bin.resolve("sleep").toFile().setExecutable(true);
        String out = sh("PATH=" + bin + ":$PATH; " + ActionScripts.follow(state(), id, 1));
        assertTrue(out.contains("switched") && out.endsWith(ActionScripts.EXIT + "0\n"), out);
        assertFalse(Files.exists(looks), "the follower looked by sleep: " + (Files.exists(looks) ? Files.readString(looks) : ""));
    }

    /**
     * What the command leaves running outside the job's session (a daemon) never holds the job's own lock: the command runs
     * with fd 8 closed as with fd 9, so the follow ends with the job, not with the daemon.
     */
    @Test
    void aDaemonTheCommandStartedNeverKeepsTheFollowWaiting() throws Exception {
        String id = id("deploy", 41);
        Path pids = tmp.resolve("daemon");
        String command = "setsid sh -c 'echo $$ > " + pids + "; exec sleep 120' </dev/null >/dev/null 2>&1 & echo deployed";
        try {
            Process follow = new ProcessBuilder("sh", "-c", ActionScripts.start(state(), id,
                    ActionScripts.job(tmp.toString(), command, Optional.empty(), Duration.ofSeconds(30)), "{}")
                    + " && " + ActionScripts.follow(state(), id, 1)).redirectErrorStream(true).start();
            follow.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(follow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                assertTrue(follow.waitFor(60, TimeUnit.SECONDS), "the follow ended while the daemon still runs");
                String text = out.get(10, TimeUnit.SECONDS);
                assertTrue(text.contains("deployed") && text.endsWith(ActionScripts.EXIT + "0\n"), text);
            } finally {
                follow.descendants().forEach(ProcessHandle::destroyForcibly);
                follow.destroyForcibly();
            }
        } finally {
            if (Files.exists(pids)) {
                new ProcessBuilder("kill", Files.readString(pids).strip()).start().waitFor();
            }
        }
    }

    /** {@link ActionScripts#startAnswered} run by a real sh: its output up to the state's end, then {@code answer} sent (null: end of input). */
    private String answered(String id, String command, String answer, String stateScript) throws Exception {
        return answered(id, command, answer, stateScript, java.util.Map.of());
    }

    private String answered(String id, String command, String answer, String stateScript, java.util.Map<String, String> env) throws Exception {
        String job = ActionScripts.job(tmp.toString(), command, Optional.empty(), Duration.ofSeconds(30));
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", ActionScripts.startAnswered(state(), id, job, "{\"id\":\"" + id + "\"}", stateScript)
                + " && " + ActionScripts.follow(state(), id, 1)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                out.append(l).append('\n');
                if (l.equals(ActionScripts.stateEnd(id))) {
                    // the state as the console reads it, while the lock is held: no other action can start now
                    out.append("lock:").append(lock()).append('\n');
                    Path holder = Path.of(state(), "action.holder");
                    out.append("holder:").append(Files.exists(holder) ? Files.readString(holder).strip() : "").append('\n');
                    if (answer == STALL) {
                        continue; // a console stopped (SIGSTOP): no answer, its input kept open
                    }
                    if (answer != null) {
                        p.getOutputStream().write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    p.getOutputStream().close();
                }
            }
        } finally {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        }
        return out + "rc=" + p.exitValue() + "\n";
    }

    /** The "answer" of a console that stalls (stopped by SIGSTOP, its connection alive): none, its input kept open. */
    private static final String STALL = new String("(no answer)");

    /**
     * A folder of links to every command on this machine's PATH but {@code left}: a PATH for a server without them (timeout(1)
     * is not on every server; the scripts detect it).
     */
    private Path toolsWithout(String... left) throws IOException {
        Path bin = io.dutydesk.testing.ToolsWithout.in(tmp, left);
        assertFalse(Files.exists(bin.resolve("timeout")) && List.of(left).contains("timeout"));
        return bin;
    }

    /**
     * The environment of a run on a server without timeout(1), every process of it marked by {@code mark} (a variable
     * every process it starts inherits, setsid or not): what of it still lives is found by it ({@link #living}).
     */
    private java.util.Map<String, String> withoutTimeout(String mark, String... more) throws IOException {
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("PATH", toolsWithout("timeout").toString());
        env.put("DUTYDESK_TEST_RUN", mark);
        for (int i = 0; i + 1 < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    /** The live processes (pid and command line) whose environment holds {@code DUTYDESK_TEST_RUN=mark} (a zombie has none). */
    private static List<String> living(String mark) throws IOException {
        List<String> out = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : dirs) {
                try {
                    if (new String(Files.readAllBytes(d.resolve("environ")), StandardCharsets.ISO_8859_1).contains("DUTYDESK_TEST_RUN=" + mark)) {
                        out.add(d.getFileName() + " " + new String(Files.readAllBytes(d.resolve("cmdline")), StandardCharsets.ISO_8859_1)
                                .replace('\0', ' ').strip());
                    }
                } catch (IOException gone) {
                    // ended meanwhile, or not ours
                }
            }
        }
        return out;
    }

    /**
     * What of the run marked {@code mark} still lives once {@code within} passed, or nothing as soon as nothing does: a
     * process killed (KILL sent to its group) leaves the process table when the kernel has run its exit, not at the kill.
     */
    private static List<String> leftAfter(String mark, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        List<String> left = living(mark);
        while (!left.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
            left = living(mark);
        }
        return left;
    }

    /** {@code call} done within {@code within} (a run that hangs fails the test there, not at its own end, minutes on). */
    private static <T> T within(Duration within, java.util.concurrent.Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            return pool.submit(call).get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not done within " + within.toSeconds() + " s (unbounded?)", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private String lock() throws Exception {
        return sh("exec 9>>" + io.dutydesk.core.ShellQuote.quote(state() + "/action.lock") + "; if flock -n 9; then echo free; else echo held; fi").strip();
    }

    /**
     * The plan made inside the lock: the state is read once the lock is held and printed between its marks; the console's
     * "go" starts the job (no check inside it: nothing could come between), and the exec follows it to its end.
     */
    @Test
    void aPlanMadeInsideTheLockRunsWhenTheConsoleSaysGo() throws Exception {
        String id = id("rollback", 50);
        String out = answered(id, "touch ran; echo rolled back", ActionScripts.GO, "echo live-is-blue");
        assertTrue(out.contains(ActionScripts.STATE_BEGIN + "\nlive-is-blue\n\n" + ActionScripts.STATE_RC + "0\n"
                + ActionScripts.stateEnd(id) + "\nlock:held\nholder:" + id + "\n"), "the state read under the lock, which names this action: " + out);
        assertTrue(out.contains(ActionScripts.STARTED + id) && out.contains("rolled back") && out.contains(ActionScripts.EXIT + "0"), out);
        assertTrue(Files.exists(tmp.resolve("ran")));
        assertEquals("free", lock(), "the lock once the job is over");
    }

    /** Anything but "go", or no answer (the console killed or its connection dropped): nothing runs, the lock is let go. */
    @Test
    void aPlanRefusedOrNeverAnsweredRunsNothingAndLetsTheLockGo() throws Exception {
        for (String answer : new String[] {"no", null, "go on", ""}) {
            String id = id("rollback", 51 + (answer == null ? 9 : answer.length()));
            String out = answered(id, "touch ran", answer, "echo state");
            assertTrue(out.contains("lock:held") && out.contains(ActionScripts.NOT_GO) && out.contains("rc=77"), answer + ": " + out);
            assertFalse(out.contains(ActionScripts.STARTED), out);
            assertFalse(Files.exists(tmp.resolve("ran")), "nothing ran for " + answer);
            assertFalse(Files.exists(Path.of(state(), "actions", id + ".meta")), "no job recorded for " + answer);
            assertEquals("free", lock(), "the lock after " + answer);
        }
    }

    /**
     * The meta's write that failed half-way (a full disk: its temporary file written, never renamed; here the server has
     * no mv) leaves nothing of a request answered no: no file of the action in the job folder.
     */
    @Test
    void aRefusedRequestLeavesNoTemporaryFileOfItsMeta() throws Exception {
        String id = id("rollback", 87);
        var env = java.util.Map.of("PATH", toolsWithout("mv").toString());
        String out = within(Duration.ofSeconds(25), () -> answered(id, "touch ran", "no", "echo state", env));
        assertTrue(out.contains(ActionScripts.NOT_GO) && out.endsWith("rc=77\n"), out);
        try (var files = Files.list(Path.of(state(), "actions"))) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(id)).toList());
        }
    }

    /** A state read that hangs (a paused Docker) is bounded as the checks inside a job are: the lock is never held for it. */
    @Test
    void aStateReadThatHangsIsBoundedAndSaidByItsExitStatus() throws Exception {
        String id = id("rollback", 72);
        long t0 = System.nanoTime();
        String out = answered(id, "touch ran", "no", "echo '@@DD-STATE'; exec sleep 60", java.util.Map.of("DUTYDESK_CHECK_SECONDS", "1"));
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 30, "bounded: " + out);
        assertTrue(out.contains(ActionScripts.STATE_RC + "124\n" + ActionScripts.stateEnd(id)), out);
        assertFalse(Files.exists(tmp.resolve("ran")));
        assertEquals("free", lock());
    }

    /**
     * On a server without timeout(1) the state read is bounded all the same: a read that hangs (here its sleep stands for
     * a docker CLI stuck on a paused daemon, holding the read's output) is stopped with all it started after the bound,
     * said by 124 as timeout's, and the lock is let go. Before, the read waited unbounded and held the lock for ever.
     */
    @Test
    void aStateReadThatHangsIsBoundedOnAServerWithoutTimeoutToo() throws Exception {
        String id = id("rollback", 80);
        String mark = java.util.UUID.randomUUID().toString();
        var env = withoutTimeout(mark, "DUTYDESK_CHECK_SECONDS", "1");
        String out = within(Duration.ofSeconds(25), () -> answered(id, "touch ran", "no", "echo '@@DD-STATE'; sleep 120; echo woke", env));
        assertTrue(out.contains("@@DD-STATE\n\n" + ActionScripts.STATE_RC + "124\n" + ActionScripts.stateEnd(id) + "\nlock:held\n"), out);
        assertTrue(out.contains(ActionScripts.NOT_GO) && out.endsWith("rc=77\n") && !out.contains("woke"), out);
        assertFalse(Files.exists(tmp.resolve("ran")));
        assertEquals("free", lock());
        assertEquals(List.of(), leftAfter(mark, Duration.ofSeconds(10)), "nothing of the read nor of its bound left running");
    }

    /**
     * A server whose timeout is busybox's (Alpine): it signals the command alone, so a read whose docker CLI hangs (here its
     * sleep, holding the read's output) held the lock as long as that hung. The bound there is the portable one, which
     * stops all the read started.
     */
    @Test
    void aStateReadThatHangsIsBoundedWhereTimeoutIsBusyboxs() throws Exception {
        Path busybox = java.util.Arrays.stream(System.getenv("PATH").split(":")).map(d -> Path.of(d, "busybox"))
                .filter(Files::isExecutable).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(busybox != null, "busybox is not on this machine");
        Path bin = Files.createDirectories(tmp.resolve("busybox-timeout"));
        Files.createSymbolicLink(bin.resolve("timeout"), busybox.toRealPath());
        String id = id("rollback", 85);
        String mark = java.util.UUID.randomUUID().toString();
        var env = withoutTimeout(mark, "DUTYDESK_CHECK_SECONDS", "1");
        env.put("PATH", bin + ":" + env.get("PATH"));
        String out = within(Duration.ofSeconds(25), () -> answered(id, "touch ran", "no", "echo '@@DD-STATE'; sleep 120; echo woke", env));
        assertTrue(out.contains("@@DD-STATE\n\n" + ActionScripts.STATE_RC + "124\n" + ActionScripts.stateEnd(id)) && out.endsWith("rc=77\n"), out);
        assertEquals("free", lock());
        assertEquals(List.of(), leftAfter(mark, Duration.ofSeconds(10)), "nothing of the read left running");
    }

    /**
     * A console that stalls once the state is printed (stopped by SIGSTOP: its connection alive, no answer, no end of input)
     * on a server without timeout(1): the server stops waiting after its bound, runs nothing, leaves no trace of the action
     * and lets the lock go. Before, its read of the answer waited for ever, the lock held.
     */
    @Test
    void aStalledConsoleIsGivenUpOnAServerWithoutTimeoutToo() throws Exception {
        String id = id("rollback", 81);
        String mark = java.util.UUID.randomUUID().toString();
        var env = withoutTimeout(mark, "DUTYDESK_ANSWER_SECONDS", "1");
        String out = within(Duration.ofSeconds(25), () -> answered(id, "touch ran", STALL, "echo state", env));
        assertTrue(out.contains(ActionScripts.stateEnd(id) + "\nlock:held\n") && out.contains(ActionScripts.NOT_GO)
                && out.endsWith("rc=77\n"), out);
        assertFalse(out.contains(ActionScripts.STARTED), out);
        assertFalse(Files.exists(tmp.resolve("ran")));
        assertFalse(Files.exists(Path.of(state(), "actions", id + ".meta")), "no trace of a request that never ran");
        assertEquals("free", lock());
        assertEquals(List.of(), leftAfter(mark, Duration.ofSeconds(10)), "nothing of the wait nor of its bound left running");
    }

    /**
     * The bounds that were not reached leave nothing behind either: on a server without timeout(1) a read and an answer
     * well within their bounds (10 minutes) are followed by the job as usual, and once it is over no watchdog of theirs
     * still sleeps out its bound — nothing of the run lives on, and the lock is free.
     */
    @Test
    void boundsNotReachedLeaveNoWatchdogBehind() throws Exception {
        String id = id("rollback", 82);
        String mark = java.util.UUID.randomUUID().toString();
        var env = withoutTimeout(mark, "DUTYDESK_CHECK_SECONDS", "600", "DUTYDESK_ANSWER_SECONDS", "600");
        String out = within(Duration.ofSeconds(25), () -> answered(id, "touch ran; echo rolled back", ActionScripts.GO,
                "echo live-is-blue; echo 'docker: warn' >&2", env));
        assertTrue(out.contains(ActionScripts.STATE_BEGIN + "\nlive-is-blue\n\n" + ActionScripts.STATE_ERR + "docker: warn\n"
                + ActionScripts.STATE_RC + "0\n" + ActionScripts.stateEnd(id)), "the read's output, stderr and status as with timeout: " + out);
        assertTrue(out.contains("rolled back") && out.contains(ActionScripts.EXIT + "0") && out.endsWith("rc=0\n"), out);
        assertEquals(List.of(), leftAfter(mark, Duration.ofSeconds(10)), "no watchdog left sleeping out its 600 s");
        assertEquals("free", lock());
    }

    /**
     * A read's own exit status, not a timeout, when it ends before its bound (here by a signal of its own): the portable
     * bound says 124 only when it stopped the read.
     */
    @Test
    void theReadsOwnStatusIsSaidOnAServerWithoutTimeout() throws Exception {
        String id = id("rollback", 83);
        var env = withoutTimeout(java.util.UUID.randomUUID().toString(), "DUTYDESK_CHECK_SECONDS", "600");
        String out = within(Duration.ofSeconds(25), () -> answered(id, "touch ran", "no", "echo part; exit 3", env));
        assertTrue(out.contains("part\n\n" + ActionScripts.STATE_RC + "3\n" + ActionScripts.stateEnd(id)), out);
        out = within(Duration.ofSeconds(25), () -> answered(id("rollback", 84), "touch ran", "no", "echo part; kill -s TERM $$", env));
        assertTrue(out.contains("part\n\n" + ActionScripts.STATE_RC + "143\n" + ActionScripts.stateEnd(id("rollback", 84))), out);
        assertFalse(Files.exists(tmp.resolve("ran")));
    }

    /**
     * A server without flock cannot take the lock: it says so (exit 90, nothing read, nothing run) — it was told BUSY,
     * naming the action that last held the lock as if that still ran.
     */
    @Test
    void aServerWithoutFlockSaysSoInsteadOfBusy() throws Exception {
        Files.createDirectories(Path.of(state(), "actions"));
        Files.writeString(Path.of(state(), "action.holder"), id("deploy", 12) + "\n"); // an action long over
        var env = java.util.Map.of("PATH", toolsWithout("flock").toString());
        String out = within(Duration.ofSeconds(25), () -> answered(id("rollback", 86), "touch ran", ActionScripts.GO, "touch state-read", env));
        assertTrue(out.contains("dutydesk: the server lock could not be taken (flock exit 127; flock must be on the server's PATH)")
                && out.endsWith("rc=90\n"), out);
        assertFalse(out.contains(ActionScripts.BUSY), out);
        assertFalse(Files.exists(tmp.resolve("state-read")) || Files.exists(tmp.resolve("ran")), out);
        out = sh("PATH=" + io.dutydesk.core.ShellQuote.quote(toolsWithout("flock").toString()) + "; " + ActionScripts.lockOrBusy(state()) + "echo locked");
        assertTrue(out.contains("could not be taken") && !out.contains("locked") && !out.contains(ActionScripts.BUSY), out);
    }

    /** Another action holds the lock: BUSY at once, the state is not read, nothing is asked. */
    @Test
    void aBusyServerSaysSoBeforeItReadsTheState() throws Exception {
        Files.createDirectories(Path.of(state(), "actions")); // before the holder opens the lock file in it
        Process holder = new ProcessBuilder("sh", "-c", "exec 9>>" + io.dutydesk.core.ShellQuote.quote(state() + "/action.lock")
                + "; flock 9; echo locked; exec sleep 60").start();
        try {
            holder.getOutputStream().close();
            var r = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            String out = answered(id("rollback", 70), "touch ran", ActionScripts.GO, "touch state-read");
            assertTrue(out.startsWith(ActionScripts.BUSY) && out.contains("rc=75"), out);
            assertFalse(Files.exists(tmp.resolve("state-read")) || Files.exists(tmp.resolve("ran")), out);
        } finally {
            holder.descendants().forEach(ProcessHandle::destroyForcibly);
            holder.destroyForcibly().waitFor();
        }
    }

    /** The state script's own "exit" (the labelled read's on a Docker that does not answer) ends its subshell, not the start. */
    @Test
    void theStateScriptsExitEndsOnlyItsOwnPart() throws Exception {
        String id = id("rollback", 71);
        String out = answered(id, "echo ran", ActionScripts.GO, "echo part; exit 0");
        assertTrue(out.contains("part\n\n" + ActionScripts.STATE_RC + "0\n" + ActionScripts.stateEnd(id)) && out.contains("ran") && out.contains(ActionScripts.EXIT + "0"), out);
    }

    /**
     * What the state read says on its standard error (a live-slot command's "curl: (7) …", docker's words) comes after its
     * output, each line marked, before its exit status: read in order with it, never lost on the exec's own stderr.
     */
    @Test
    void theStateReadsStandardErrorComesAfterItsOutputBeforeItsExitStatus() throws Exception {
        String id = id("rollback", 76);
        String out = answered(id, "touch ran", null, "echo 'Active Slot: blue'; echo 'curl: (7) Failed to connect' >&2; "
                + "printf 'no newline' >&2; exit 7");
        assertTrue(out.contains(ActionScripts.STATE_BEGIN + "\nActive Slot: blue\n\n" + ActionScripts.STATE_ERR + "curl: (7) Failed to connect\n"
                + ActionScripts.STATE_ERR + "no newline\n" + ActionScripts.STATE_RC + "7\n" + ActionScripts.stateEnd(id) + "\n"), out);
        assertFalse(Files.exists(tmp.resolve("ran")));
    }

    /**
     * A line of the state that looks like its end (the live-slot command's words, a container's label: what the server
     * prints) does not end it: the end line carries the action's id, which nothing that prints the state knows.
     */
    @Test
    void noLineOfTheStateEndsIt() throws Exception {
        String id = id("rollback", 77);
        String out = answered(id, "echo ran", ActionScripts.GO, "echo '" + ActionScripts.STATE_END + "'; echo '"
                + ActionScripts.STATE_RC + "0'; echo more");
        assertTrue(out.contains("more\n\n" + ActionScripts.STATE_RC + "0\n" + ActionScripts.stateEnd(id) + "\nlock:held\n")
                && out.contains(ActionScripts.EXIT + "0"), out);
        assertTrue(out.indexOf("\n" + ActionScripts.stateEnd(id) + "\n") > out.indexOf("more"), "the state ended only after it: " + out);
        assertEquals(out.indexOf("lock:"), out.lastIndexOf("lock:"), "one end: " + out);
    }

    /**
     * The console gone while the state is printed (killed: its end of the output closed, then of the input): the script
     * still gets to its wait, leaves no trace of the action (its meta removed) and lets the lock go — a write to the gone
     * console no longer kills it first, leaving the meta of a request that never ran. The job it runs on a go gets
     * SIGPIPE's default back.
     */
    @Test
    void aConsoleGoneWhileTheStateIsPrintedLeavesNoTraceOfTheAction() throws Exception {
        String id = id("rollback", 78);
        String job = ActionScripts.job(tmp.toString(), "touch ran", Optional.empty(), Duration.ofSeconds(30));
        Process p = new ProcessBuilder("sh", "-c", ActionScripts.startAnswered(state(), id, job, "{}", "echo first; sleep 1; echo second")
                + " && " + ActionScripts.follow(state(), id, 1)).start();
        var r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals(ActionScripts.STATE_BEGIN, r.readLine());
        p.getInputStream().close(); // the console is gone: what the script writes from now goes nowhere
        p.getErrorStream().close();
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(77, p.exitValue(), "ended at its wait, not by a signal");
        assertFalse(Files.exists(Path.of(state(), "actions", id + ".meta")), "no trace of a request that never ran");
        assertFalse(Files.exists(tmp.resolve("ran")));
        assertEquals("free", lock());
        // with "go", the job's command runs with SIGPIPE as the server's shell had it (the default), not ignored
        String out = answered(id("rollback", 79), "grep '^SigIgn:' /proc/self/status", ActionScripts.GO, "echo state");
        java.util.regex.Matcher m = Pattern.compile("SigIgn:\\s*([0-9a-f]+)").matcher(out);
        assertTrue(m.find() && out.contains(ActionScripts.EXIT + "0"), out);
        assertEquals(0, Long.parseLong(m.group(1), 16) & (1L << 12), "SIGPIPE (13) not ignored by the command: " + out);
    }

    @Test
    void aJobRecordsItsStartTimeBeforeItsPid() throws Exception {
        String id = id("deploy", 33);
        String out = startAndFollow(id, "echo \"pid $(cat \"$" + ActionScripts.ACTION_VARIABLE + ".pid\")\"", Optional.empty());
        assertTrue(out.contains(ActionScripts.EXIT + "0"), out);
        Path a = Path.of(state(), "actions");
        String pid = Files.readString(a.resolve(id + ".pid")).strip();
        assertTrue(out.contains("pid " + pid), "the command finds its action's files: " + out);
        assertTrue(Files.readString(a.resolve(id + ".start")).strip().matches("[0-9]+"), "a start time");
    }

    @Test
    void aJobThatCannotBeDetachedIsNotReportedAsStarted() throws Exception {
        String id = id("deploy", 10);
        String job = ActionScripts.job(tmp.toString(), "echo ran", Optional.empty(), Duration.ofSeconds(30));
        // a server without setsid: the background start fails at once
        String out = sh("( setsid() { return 127; }; " + ActionScripts.start(state(), id, job, "{}") + " ); echo \"rc=$?\"");
        assertFalse(out.contains(ActionScripts.STARTED), out);
        assertTrue(out.contains("did not start") && out.contains("rc=92"), out);
        assertTrue(sh(ActionScripts.wasStarted(state(), id)).isBlank(), "asked again, the server says it did not start");
    }

    @Test
    void aSetsidThatForksAndReturnsAtOnceIsNotTakenForAFailedStart() throws Exception {
        String id = id("deploy", 11);
        String job = ActionScripts.job(tmp.toString(), "echo ran", Optional.empty(), Duration.ofSeconds(30));
        // setsid forks (as it does when its caller leads a process group) and exits 0 at once; the job starts half a second later
        Path bin = Files.createDirectories(tmp.resolve("slow-nohup"));
        Path nohup = bin.resolve("nohup");
        Files.writeString(nohup, "#!/bin/sh\nsleep 0.5\nexec /usr/bin/nohup \"$@\"\n");
        nohup.toFile().setExecutable(true);
        String out = sh("( PATH=" + bin + ":$PATH; setsid() { command setsid -f \"$@\"; }; " + ActionScripts.start(state(), id, job, "{}")
                + " ); echo \"rc=$?\"");
        assertTrue(out.contains(ActionScripts.STARTED + id) && out.contains("rc=0"), out);
        assertTrue(sh(ActionScripts.follow(state(), id, 1)).contains("ran"), "the job ran");
    }

    @Test
    void theServerFilesAreTheUsersAlone() throws Exception {
        startAndFollow(id("deploy", 9), "echo x", Optional.empty());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(state()))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                Path.of(state(), "actions", id("deploy", 9) + ".log"))));
    }

    @Test
    void whatASessionStillRunsIsNamedAlikeByPgrepAndByTheFullScanWithoutIt() throws Exception {
        // a session of its own (as a job's): its shell, and a sleep it left in the background
        Process session = new ProcessBuilder("setsid", "sh", "-c", "sleep 60 & echo $! > " + tmp.resolve("child") + "; echo $$ > "
                + tmp.resolve("leader") + "; wait").start();
        session.getOutputStream().close();
        long child = pidIn("child");
        long leader = pidIn("leader");
        try {
            // pgrep named by a stand-in that records its call, so the fast path is seen to run
            Path bin = Files.createDirectories(tmp.resolve("bin"));
            Path pgrep = bin.resolve("pgrep");
            Files.writeString(pgrep, "#!/bin/sh\necho called >> " + tmp.resolve("pgrep-called") + "\nexec /usr/bin/pgrep \"$@\"\n");
            pgrep.toFile().setExecutable(true);
            String withPgrep = sh("PATH=" + bin + ":$PATH; " + ActionScripts.LEFT + "left_ " + leader + "; echo \"rc=$?\"");
            assertTrue(Files.exists(tmp.resolve("pgrep-called")), "the pgrep path ran");
            String scan = sh("PATH=/nonexistent; " + ActionScripts.LEFT + "left_ " + leader + "; echo \"rc=$?\"");
            assertEquals(java.util.Set.of(leader + " (sh)", child + " (sleep)", "rc=0"), named(withPgrep));
            assertEquals(named(withPgrep), named(scan), "the full scan names the same (its order is the glob's)");
            // leaving out the session's shell and its direct children: nothing else runs
            assertEquals("rc=1\n", sh(ActionScripts.LEFT + "left_ " + leader + " " + leader + "; echo \"rc=$?\""));
            assertEquals("rc=1\n", sh("PATH=/nonexistent; " + ActionScripts.LEFT + "left_ " + leader + " " + leader + "; echo \"rc=$?\""));
            // a failing pgrep (exit 3), or one without -s (its usage, exit 1 — not "none"), falls back to the full scan
            Files.writeString(pgrep, "#!/bin/sh\nexit 3\n");
            assertEquals(named(scan), named(sh("PATH=" + bin + ":$PATH; " + ActionScripts.LEFT + "left_ " + leader + "; echo \"rc=$?\"")));
            Files.writeString(pgrep, "#!/bin/sh\necho 'pgrep: invalid option -- s' >&2; echo 'Usage: pgrep [-flnovx] PATTERN' >&2; exit 1\n");
            assertEquals(named(scan), named(sh("PATH=" + bin + ":$PATH; " + ActionScripts.LEFT + "left_ " + leader + "; echo \"rc=$?\"")));
        } finally {
            kill9(child);
            session.destroyForcibly();
        }
        assertTrue(session.waitFor(20, TimeUnit.SECONDS));
        // a session with nothing left: nothing named, by either path
        io.dutydesk.testing.Eventually.await("the session's processes gone", Duration.ofSeconds(20),
                () -> {
                    try {
                        return sh(ActionScripts.LEFT + "left_ " + leader + "; echo \"rc=$?\"").equals("rc=1\n");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        assertEquals("rc=1\n", sh("PATH=/nonexistent; " + ActionScripts.LEFT + "left_ " + leader + "; echo \"rc=$?\""));
    }

    @Test
    void anEndedJobIsOverWithoutAScanOfEveryProcessOnlyWhenItSawItsSessionEnd() throws Exception {
        // a session whose processes run on (what a job's script left); the job's shell itself is gone (its pid: a process
        // that has ended), its exit file written
        Process session = new ProcessBuilder("setsid", "sh", "-c", "sleep 60 & echo $! > " + tmp.resolve("child") + "; echo $$ > "
                + tmp.resolve("leader") + "; wait").start();
        session.getOutputStream().close();
        long child = pidIn("child");
        long leader = pidIn("leader");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String id = id("deploy", 40);
        Path a = action(id, "one\n");
        try {
            Files.writeString(a.resolve(id + ".pid"), gone.pid() + "\n");
            Files.writeString(a.resolve(id + ".sid"), leader + "\n");
            Files.writeString(a.resolve(id + ".exit"), "0\n");
            Files.writeString(Path.of(state(), "action.holder"), id + "\n");
            Path bin = Files.createDirectories(tmp.resolve("bin"));
            Path pgrep = bin.resolve("pgrep");
            Files.writeString(pgrep, "#!/bin/sh\necho called >> " + tmp.resolve("pgrep-called") + "\nexec /usr/bin/pgrep \"$@\"\n");
            pgrep.toFile().setExecutable(true);
            String path = "PATH=" + bin + ":$PATH; ";
            // an exit file alone: a job that could not stop what it left and let the lock go, or one of an earlier version
            // (it wrote no file to say either): what of its session runs is asked, and holds the lock
            String cur = within(Duration.ofSeconds(10), path + ActionScripts.current(state()));
            assertTrue(cur.startsWith(ActionScripts.BUSY + id) && cur.contains(ActionScripts.HELD) && cur.contains(child + " (sleep)"), cur);
            String busy = sh(path + ActionScripts.start(state(), id("deploy", 42), ActionScripts.job(tmp.toString(), "echo ran",
                    Optional.empty(), Duration.ofSeconds(30)), "{}"));
            assertTrue(busy.startsWith(ActionScripts.BUSY + id) && !busy.contains("ran"), busy);

            // with the job's CLEAR_FILE (it saw nothing of its session run before its exit file): over, nothing scanned
            Files.writeString(a.resolve(id + ActionScripts.CLEAR_FILE), "");
            Files.deleteIfExists(tmp.resolve("pgrep-called"));
            assertEquals(ActionScripts.IDLE + "\n", within(Duration.ofSeconds(10), path + ActionScripts.current(state())));
            assertFalse(Files.exists(tmp.resolve("pgrep-called")), "no process scanned for a job that ended");
            String next = id("deploy", 41);
            String out = sh(path + ActionScripts.start(state(), next, ActionScripts.job(tmp.toString(), "echo ran", Optional.empty(),
                    Duration.ofSeconds(30)), "{}") + " && " + ActionScripts.follow(state(), next, 1));
            assertTrue(out.contains(ActionScripts.STARTED + next) && out.contains("ran"), out);
            assertTrue(Files.exists(a.resolve(next + ActionScripts.CLEAR_FILE)), "a job that ended with its session says so");
        } finally {
            kill9(child);
            session.destroyForcibly();
        }
    }

    /** left_'s names and its exit code, in no order. */
    private static java.util.Set<String> named(String out) {
        java.util.Set<String> s = new java.util.HashSet<>();
        for (String line : out.split("\n")) {
            s.addAll(List.of(line.split(", ")));
        }
        return s;
    }

    @Test
    void idsFromTheServerAreCheckedBeforeTheyReachAShell() {
        assertThrows(IllegalArgumentException.class, () -> ActionScripts.follow(state(), "x; touch /tmp/pwned", 1));
        assertThrows(IllegalArgumentException.class, () -> ActionScripts.meta(state(), "20260101-120000-deploy-0000000$(id)"));
        assertThrows(IllegalArgumentException.class, () -> ActionScripts.states(state(), List.of("../../etc/passwd")));
        assertTrue(ActionScripts.validId("20260101-120000-backup-now-0a1b2c3d").isPresent());
        assertTrue(ActionScripts.validId("20260101-120000-deploy-0a1b2c3d\n").isEmpty());
    }
    /**
     * A stand-in {@code docker} on the PATH: answers {@code version} (unless {@code docker-down} exists) and
     * {@code inspect --format … NAME} from the file {@code c/NAME} ("running healthy", "exited", …); no file:
     * no such container. It records the DOCKER_HOST it was given.
     */
    private java.util.Map<String, String> fakeDocker() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createDirectories(tmp.resolve("c"));
        String d = io.dutydesk.core.ShellQuote.quote(tmp.toString());
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\n"
                + "D=" + d + "\n"
                + "printf '%s\\n' \"$DOCKER_HOST\" > \"$D/docker-host\"\n"
                + "printf '%s\\n' \"$1\" >> \"$D/docker-calls\"\n"
                + "[ -f \"$D/docker-down\" ] && { echo 'Cannot connect to the Docker daemon' >&2; exit 1; }\n"
                + "case \"$1\" in\n"
                + "version) exit 0 ;;\n"
                // as Docker does: each object found on stdout (here "/NAME<tab>STATE", the console's format), an error for each
                // one missing, exit 1 when any is
                // the console's format exactly (Docker would fill in any other: a changed one must fail here, not on a server)
                + "inspect) shift; [ \"$1\" = --format ] && [ \"$2\" = \"$(cat \"$D/format\")\" ] || { echo \"unexpected: $*\" >&2; exit 2; }; "
                + "shift 2; rc=0; for n; do if [ -f \"$D/c/$n\" ]; then "
                + "printf '/%s\\t%s\\n' \"$n\" \"$(cat \"$D/c/$n\")\"; else echo \"Error: No such object: $n\" >&2; rc=1; fi; done; exit $rc ;;\n"
                + "esac\nexit 2\n");
        Files.setPosixFilePermissions(bin.resolve("docker"), PosixFilePermissions.fromString("rwx------"));
        Files.writeString(tmp.resolve("format"), "{{.Name}}\t{{.State.Status}}{{if .State.Health}} {{.State.Health.Status}}{{end}}");
        return java.util.Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    private void container(String name, String state) throws Exception {
        Files.writeString(tmp.resolve("c").resolve(name), state + "\n");
    }

    private String startAndFollow(String id, String command, Optional<ActionScripts.Precondition> pre,
                                  java.util.Map<String, String> env) throws Exception {
        String job = ActionScripts.job(tmp.toString(), command, pre, Duration.ofSeconds(30));
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", ActionScripts.start(state(), id, job, "{\"id\":\"" + id + "\"}") + " && "
                + ActionScripts.follow(state(), id, 1)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return out;
    }

    private static final io.dutydesk.core.config.Environment ENV =
            io.dutydesk.testing.TestEnvironments.fastPolling(Duration.ofSeconds(1)).get("ref");

    /** The live slot still blue, and green's health as the stand-in Docker says: the server's check of a rollback to green. */
    private static Optional<ActionScripts.Precondition> rollbackToGreen() {
        return Optional.of(live("blue", "blue").and(ActionScripts.slotHealthy(ENV, "green")));
    }

    private void greenHealthy() throws Exception {
        for (String svc : ENV.slots().services()) {
            container(ENV.slots().container(svc, "green"), "running healthy");
        }
    }

    @Test
    void aTargetStillHealthyInsideTheLockRuns() throws Exception {
        var env = fakeDocker();
        greenHealthy();
        container("selfology-outbox-relay-green", "running"); // no healthcheck: running is ready, as the pane says
        String out = startAndFollow(id("rollback", 20), "touch ran; echo rolled back", rollbackToGreen(), env);
        assertTrue(out.contains("rolled back"), out);
        assertTrue(out.contains(ActionScripts.EXIT + "0"), out);
        assertTrue(Files.exists(tmp.resolve("ran")));
        assertEquals("unix:///var/run/docker.sock", Files.readString(tmp.resolve("docker-host")).strip(),
                "the environment's Docker socket");
        // inside the lock, on every switch and rollback: one docker call for the slot's four containers, not one each
        assertEquals(List.of("inspect"), Files.readAllLines(tmp.resolve("docker-calls")), "docker calls of the check");
    }

    /**
     * A team whose containers carry slot and service labels (no naming convention): the check finds the slot's containers
     * by the slot label in one {@code docker ps}, reads them in one {@code docker inspect}, and names each by its
     * configured container name; a service with no container in the slot is missing.
     */
    @Test
    void labelledContainersAreCheckedByTheirLabelsInTwoDockerCalls() throws Exception {
        io.dutydesk.core.config.Environment env = io.dutydesk.core.config.EnvironmentsFile.parse(Path.of("t.yaml"), """
                environments:
                  t:
                    ssh: { host: 127.0.0.1, user: deploy }
                    deploy: { workdir: /srv/app }
                    slots: { services: [api, worker, mailer], slotLabel: app.slot, serviceLabel: app.service }
                """).require("t");
        Path bin = Files.createDirectories(tmp.resolve("lbin"));
        String d = io.dutydesk.core.ShellQuote.quote(tmp.toString());
        // ids of the green slot's containers, newest first; inspect prints "SERVICE<tab>STATE" of each (the console's format)
        Files.writeString(tmp.resolve("ids"), "c3\nc1\nc2\n");
        Files.writeString(tmp.resolve("c1"), "api\trunning healthy\n");
        Files.writeString(tmp.resolve("c2"), "worker\trunning unhealthy\n");
        Files.writeString(tmp.resolve("c3"), "api\texited\n"); // a newer api container of the slot, stopped: the one that counts
        Files.writeString(bin.resolve("docker"), "#!/bin/sh\nD=" + d + "\nprintf '%s %s\\n' \"$1\" \"$*\" >> \"$D/ldocker-calls\"\n"
                + "case \"$1\" in\nps) case \"$*\" in *'label=app.slot=green'*) cat \"$D/ids\" ;; esac ;;\n"
                + "inspect) shift; [ \"$1\" = --format ] && [ \"$2\" = \"$(cat \"$D/lformat\")\" ] || exit 2; shift 2; "
                + "for n; do cat \"$D/$n\"; done ;;\nesac\n");
        Files.writeString(tmp.resolve("lformat"),
                "{{index .Config.Labels \"app.service\"}}\t{{.State.Status}}{{if .State.Health}} {{.State.Health.Status}}{{end}}");
        Files.setPosixFilePermissions(bin.resolve("docker"), PosixFilePermissions.fromString("rwx------"));
        var pre = ActionScripts.slotHealthy(env, "green");
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", pre.command()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String api = env.slots().container("api", "green");
        String worker = env.slots().container("worker", "green");
        String mailer = env.slots().container("mailer", "green");
        assertEquals("slot-health: unhealthy (" + api + ": exited, " + worker + ": unhealthy, " + mailer + ": missing)", out.strip());
        List<String> calls = Files.readAllLines(tmp.resolve("ldocker-calls"));
        assertEquals(2, calls.size(), calls.toString());
        assertTrue(calls.get(0).startsWith("ps ") && calls.get(0).contains("label=app.slot=green"), calls.toString());
        assertTrue(calls.get(1).startsWith("inspect ") && calls.get(1).endsWith(" c3 c1 c2"), calls.toString());
    }

    @Test
    void aTargetThatTurnedUnhealthyAfterTheConfirmationIsRefusedInsideTheLock() throws Exception {
        var env = fakeDocker();
        greenHealthy();
        container("selfology-analysis-worker-green", "running unhealthy");
        String out = startAndFollow(id("rollback", 21), "touch ran", rollbackToGreen(), env);
        assertTrue(out.contains(ActionScripts.REFUSED + "state changed since you confirmed: the green slot is now unhealthy "
                + "(selfology-analysis-worker-green: unhealthy); nothing was run"), out);
        assertTrue(out.contains(ActionScripts.EXIT + ActionScripts.EXIT_REFUSED), out);
        assertFalse(Files.exists(tmp.resolve("ran")), "the command did not run");
    }

    @Test
    void aStoppedOrMissingTargetContainerRefusesWithTheSameWordsAsThePane() throws Exception {
        var env = fakeDocker();
        greenHealthy();
        container("selfology-question-selection-green", "exited");
        Files.delete(tmp.resolve("c").resolve("selfology-outbox-relay-green"));
        String out = startAndFollow(id("switch", 22), "touch ran", rollbackToGreen(), env);
        assertTrue(out.contains("the green slot is now unhealthy (selfology-question-selection-green: exited, "
                + "selfology-outbox-relay-green: missing); nothing was run"), out);
        assertFalse(Files.exists(tmp.resolve("ran")));
    }

    @Test
    void aDockerThatDoesNotAnswerRefusesRatherThanGuess() throws Exception {
        var env = fakeDocker();
        greenHealthy();
        Files.writeString(tmp.resolve("docker-down"), "");
        String out = startAndFollow(id("rollback", 23), "touch ran", rollbackToGreen(), env);
        assertTrue(out.contains(ActionScripts.REFUSED + "could not read the green slot on the server to check the plan"), out);
        assertTrue(out.contains("docker on the server does not answer"), out);
        assertFalse(Files.exists(tmp.resolve("ran")));
    }

    @Test
    void theLiveSlotIsCheckedFirst() throws Exception {
        var env = fakeDocker();
        greenHealthy();
        String out = startAndFollow(id("rollback", 24), "touch ran",
                Optional.of(live("green", "blue").and(ActionScripts.slotHealthy(ENV, "green"))), env);
        assertTrue(out.contains("state changed since you confirmed: live is now green; nothing was run"), out);
        assertFalse(Files.exists(tmp.resolve("ran")));
        assertEquals(List.of(), checksFiles(), "a refusal by the first check leaves no output file of the others behind");
    }

    /** Both checks failing: the first one's refusal alone is said, and nothing ran. */
    @Test
    void whenBothChecksFailTheFirstOnesRefusalIsTheOneSaid() throws Exception {
        var env = fakeDocker();
        String out = startAndFollow(id("rollback", 25), "touch ran",
                Optional.of(live("green", "blue").and(ActionScripts.slotHealthy(ENV, "green"))), env);
        assertTrue(out.contains("state changed since you confirmed: live is now green; nothing was run"), out);
        assertFalse(out.contains("the green slot"), "the second check's refusal is not said: " + out);
        assertFalse(Files.exists(tmp.resolve("ran")));
    }

    /** The first check's answer is read from its output before the job waits for the checks still running. */
    @Test
    void theFirstChecksAnswerIsReadBeforeWaitingForTheOthers() {
        String job = ActionScripts.job("/srv/app", "true", Optional.of(live("green", "blue").and(ActionScripts.slotHealthy(ENV, "green"))),
                Duration.ofSeconds(60));
        int read = job.indexOf("n0_=$(printf '%s' \"$o0_\" | P_=");
        int waits = job.indexOf("wait \"$pw1_\"");
        assertTrue(read > 0 && waits > read, "n0_ read at " + read + ", the wait at " + waits + ": " + job);
    }

    /**
     * The checks after the first run while the first runs: here the live slot's read waits (up to 20 s) for a file the
     * health check writes; checked one after the other the read would time out and print no slot (refused). Their files
     * are gone afterwards.
     */
    @Test
    void theChecksRunAtOnceNotOneAfterTheOther() throws Exception {
        var env = fakeDocker();
        greenHealthy();
        String flag = io.dutydesk.core.ShellQuote.quote(tmp.resolve("health-ran").toString());
        ActionScripts.Precondition waitsForTheOther = new ActionScripts.Precondition(
                "i_=0; while [ ! -e " + flag + " ] && [ $i_ -lt 2000 ]; do sleep 0.01; i_=$((i_+1)); done; [ -e " + flag
                        + " ] && echo 'Active Slot: blue'", Pattern.compile("Active Slot:\\s*(\\w+)"), "blue", "live");
        ActionScripts.Precondition health = ActionScripts.slotHealthy(ENV, "green");
        ActionScripts.Precondition marks = new ActionScripts.Precondition("touch " + flag + "; " + health.command(),
                health.pattern(), health.expected(), health.what());
        String out = startAndFollow(id("rollback", 25), "touch ran; echo rolled back", Optional.of(waitsForTheOther.and(marks)), env);
        assertTrue(out.contains("rolled back"), out);
        assertTrue(Files.exists(tmp.resolve("ran")));
        assertEquals(List.of(), checksFiles(), "the checks' output files are removed");
    }

    /**
     * A check that leaves something running outside the job's session (a daemon: setsid) does not leave it holding the
     * lock: the checks, like the command, run with fd 9 closed. The job over, the lock is free.
     */
    @Test
    void whatACheckLeavesRunningNeverHoldsTheLock() throws Exception {
        var env = fakeDocker();
        greenHealthy();
        String daemon = "setsid sh -c 'echo $$ >> " + tmp.resolve("daemons") + "; exec sleep 60' </dev/null >/dev/null 2>&1 & ";
        ActionScripts.Precondition live = live("blue", "blue");
        ActionScripts.Precondition health = ActionScripts.slotHealthy(ENV, "green");
        ActionScripts.Precondition first = new ActionScripts.Precondition(daemon + live.command(), live.pattern(), live.expected(), live.what());
        ActionScripts.Precondition second = new ActionScripts.Precondition(daemon + health.command(), health.pattern(),
                health.expected(), health.what());
        try {
            String out = startAndFollow(id("rollback", 28), "echo rolled back", Optional.of(first.and(second)), env);
            assertTrue(out.contains("rolled back"), out);
            assertEquals("free", sh("exec 9>>" + io.dutydesk.core.ShellQuote.quote(state() + "/action.lock")
                    + "; if flock -n 9; then echo free; else echo held; fi").strip(), "the lock once the job is over");
        } finally {
            for (String pid : Files.readAllLines(tmp.resolve("daemons"))) {
                new ProcessBuilder("kill", pid.strip()).start().waitFor();
            }
        }
    }

    /** The checks' output files left in the job folder (where the job writes them: STATE/actions/ID.preN). */
    private List<String> checksFiles() throws Exception {
        assertTrue(Files.isDirectory(tmp.resolve("state").resolve("actions")));
        try (var files = Files.list(tmp.resolve("state").resolve("actions"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches(".*\\.pre[0-9]+")).toList();
        }
    }

    /**
     * The slot's health is read from its own "slot-health:" line by the shell's builtins: a server without perl still
     * checks it (and refuses an unhealthy target in the pane's words); perl is needed only for an environment's pattern.
     */
    /**
     * A check that hangs (a paused Docker) is bounded: the action is refused after the bound with the reason, nothing runs
     * and the lock is let go — the first check (in the foreground) and one run beside it alike. Without the bound the job
     * held the lock and ran the action whenever Docker woke, long after the click.
     */
    @Test
    void aCheckThatHangsIsRefusedAfterItsBoundAndTheLockIsLetGo() throws Exception {
        var env = java.util.Map.of("DUTYDESK_CHECK_SECONDS", "1");
        ActionScripts.Precondition hangs = new ActionScripts.Precondition("sleep 600; echo 'Active Slot: green'",
                Pattern.compile("Active Slot:\\s*(\\w+)"), "green", "live");
        long t0 = System.nanoTime();
        String first = startAndFollow(id("rollback", 30), "touch ran", Optional.of(hangs.and(live("GREEN", "green"))), env);
        String beside = startAndFollow(id("rollback", 31), "touch ran", Optional.of(live("GREEN", "green").and(hangs)), env);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        for (String out : List.of(first, beside)) {
            assertTrue(out.contains(ActionScripts.REFUSED + "live could not be checked: the server did not answer within 1 s; "
                    + "nothing was run"), out);
            assertTrue(out.contains(ActionScripts.EXIT + ActionScripts.EXIT_REFUSED), out);
        }
        assertFalse(Files.exists(tmp.resolve("ran")), "nothing ran");
        assertTrue(ms < 30_000, "bounded, not the check's 600 s: " + ms + " ms");
        String free = sh(ActionScripts.lockOrBusy(state()) + "echo free");
        assertTrue(free.contains("free"), "the lock is let go: " + free);
    }

    /**
     * The checks inside the job are bounded on a server without timeout(1) too: a check that hangs is refused after the
     * bound, nothing runs, nothing of the check is left running and the lock is let go. Before, the job waited for it
     * unbounded, holding the lock, and ran the action whenever it answered.
     */
    @Test
    void aCheckThatHangsIsRefusedAfterItsBoundOnAServerWithoutTimeoutToo() throws Exception {
        String mark = java.util.UUID.randomUUID().toString();
        var env = withoutTimeout(mark, "DUTYDESK_CHECK_SECONDS", "1");
        ActionScripts.Precondition hangs = new ActionScripts.Precondition("sleep 120; echo 'Active Slot: green'",
                Pattern.compile("Active Slot:\\s*(\\w+)"), "green", "live");
        String out = within(Duration.ofSeconds(25), () -> startAndFollow(id("rollback", 32), "touch ran",
                Optional.of(live("GREEN", "green").and(hangs)), env));
        assertTrue(out.contains(ActionScripts.REFUSED + "live could not be checked: the server did not answer within 1 s; "
                + "nothing was run") && out.contains(ActionScripts.EXIT + ActionScripts.EXIT_REFUSED), out);
        assertFalse(Files.exists(tmp.resolve("ran")), "nothing ran");
        assertEquals("free", lock());
        assertEquals(List.of(), leftAfter(mark, Duration.ofSeconds(10)), "nothing of the check left running");
    }

    @Test
    void theSlotsHealthIsCheckedWithoutPerl() throws Exception {
        var env = new java.util.HashMap<>(fakeDocker());
        Path bin = tmp.resolve("bin");
        // the system's tools on a PATH of their own, perl left out
        for (String dir : List.of("/usr/bin", "/bin")) {
            try (var tools = Files.list(Path.of(dir))) {
                for (Path t : tools.toList()) {
                    String name = t.getFileName().toString();
                    if (!name.startsWith("perl") && !Files.exists(bin.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(bin.resolve(name), t);
                    }
                }
            }
        }
        env.put("PATH", bin.toString());
        greenHealthy();
        container("selfology-analysis-worker-green", "running starting");
        ActionScripts.Precondition health = ActionScripts.slotHealthy(ENV, "green");
        String out = startAndFollow(id("rollback", 26), "touch ran", Optional.of(health), env);
        assertTrue(out.contains(ActionScripts.REFUSED + "state changed since you confirmed: the green slot is now unhealthy "
                + "(selfology-analysis-worker-green: starting); nothing was run"), out);
        assertFalse(Files.exists(tmp.resolve("ran")));
        container("selfology-analysis-worker-green", "running healthy");
        out = startAndFollow(id("rollback", 27), "touch ran; echo rolled back", Optional.of(health), env);
        assertTrue(out.contains("rolled back"), out);
        assertTrue(Files.exists(tmp.resolve("ran")));
    }
}
