package io.dutydesk.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window's launch (issue 16): the first frame the user sees is the laid-out window — the environment's name in
 * the header, every pane in the navigation, every backend's indicator "checking", the shown pane's layout — never
 * blank, while the environment's SSH server accepts and never answers; and no network client is created on the FX
 * thread.
 *
 * <p>The app is the real one, started as the {@code dutydesk} command starts it ({@code Main} with {@code --config},
 * in a process of its own on Monocle, its home and XDG folders in a temporary folder), with {@link FirstFrameProbe}
 * as its JavaFX preloader: it is on the FX thread before the app's {@code start}, reads the first frame at its first
 * pulse (after layout, before rendering) and prints what it shows, and the clients the adapters create with their
 * threads. The SSH endpoint is a local socket that accepts and stays silent: the connection can never finish while
 * the frame is read, so what the frame shows cannot depend on an answer.
 */
class FirstFrameTest {
    @TempDir
    Path tmp;

    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    /** The silent server took the app's connection: the probe may end the app then, not before. */
    private final java.util.concurrent.CountDownLatch acceptedOne = new java.util.concurrent.CountDownLatch(1);

    @BeforeEach
    void silentSshServer() throws Exception {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept()); // kept open, never written to
                    acceptedOne.countDown();
                } catch (java.io.IOException e) {
                    return; // closed
                }
            }
        }, "silent-ssh");
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void close() throws Exception {
        silent.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    void theFirstFrameIsTheLaidOutWindowWhileSshNeverAnswers() throws Exception {
        List<String> ff = launch();
        String all = String.join("\n", ff);
        System.out.println("FirstFrameTest: what the probe saw:\n" + all);

        // the app's window is the first drawn: no other window (a password dialog) in a frame before it
        int mainPulse = pulse(line(ff, "first-frame "));
        assertTrue(line(ff, "first-frame ").contains(" main=true "), all);
        for (String l : ff) {
            if (l.startsWith("first-frame ")) {
                assertTrue(pulse(l) >= mainPulse, l + "\n" + all);
            }
        }

        // the header: the environment's name, shown in the picker (not only its value), with a width
        String env = line(ff, "environment ");
        assertTrue(env.contains("value=silent shown=silent "), all);
        assertTrue(width(env) > 0, all);
        assertTrue(line(ff, "window ").contains("title=Dutydesk — silent"), all);

        // the navigation: a cell for every pane, each with its title
        String nav = line(ff, "navigation ");
        assertTrue(nav.endsWith("cells=Slots,Outbox,Alerts,Backups,Metrics,Today"), all);
        assertTrue(width(nav) > 0, all);

        // the backends: the header says it is connecting, every indicator "checking" (its own state, a text), none ok
        String summary = line(ff, "summary ");
        assertTrue(summary.matches("summary text=(connecting…|checking… 0/7) classes=.*"), all);
        assertTrue(summary.contains("unknown") && !summary.contains(",ok,") && width(summary) > 0, all);
        assertTrue(line(ff, "status ").startsWith("status form=status-full "), all);
        for (String b : List.of("ssh", "docker", "postgres", "redis", "prometheus", "alertmanager", "backups")) {
            String ind = line(ff, "indicator " + b + " ");
            assertTrue(ind.matches(".* classes=[^ ]*\\bunknown\\b[^ ]* texts=[^|]+\\|(…|connecting…) visible=true .*"), ind + "\n" + all);
            assertFalse(ind.matches(".* classes=[^ ]*\\b(ok|down)\\b.*"), ind);
            assertTrue(width(ind) > 0, ind);
        }

        // only the shown pane is built; the others are built when first shown
        assertEquals("panes-in-scene [pane-slots]", line(ff, "panes-in-scene "), all);

        // the shown pane (Slots: the file says the Today pane never comes first) has its layout, not a placeholder
        String pane = line(ff, "pane ");
        assertTrue(pane.startsWith("pane pane-slots[slots-pane] "), all);
        assertTrue(pane.contains(" stand-in=false "), all);
        assertTrue(width(pane) > 400 && height(pane) > 300, all);
        for (String part : List.of("live-badge", "rollback-badge", "action-deploy", "slot-cards", "slots-tabs")) {
            String p = line(ff, "pane-part " + part + " ");
            assertTrue(p.endsWith(" shows=true") && width(p) > 0 && height(p) > 0, p + "\n" + all);
        }

        // the clients: the SSH session was begun (the silent server saw it) and no client came from the FX thread
        List<String> clients = ff.stream().filter(l -> l.startsWith("client ")).toList();
        assertTrue(clients.stream().anyMatch(l -> l.startsWith("client ssh-session ")), all);
        assertTrue(clients.stream().allMatch(l -> l.endsWith(" fx=false")), all);
        assertFalse(accepted.isEmpty(), "the SSH server saw the connection");
        assertTrue(ff.contains("done true"), all);
    }

    private static String line(List<String> ff, String prefix) {
        return ff.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + prefix + "' in\n" + String.join("\n", ff)));
    }

    /** N of "pulse=N". */
    private static int pulse(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" pulse=(\\d+) ").matcher(line);
        assertTrue(m.find(), line);
        return Integer.parseInt(m.group(1));
    }

    /** The width in "bounds=x,y,WxH". */
    private static int width(String line) {
        return Integer.parseInt(bounds(line)[2]);
    }

    private static int height(String line) {
        return Integer.parseInt(bounds(line)[3]);
    }

    private static String[] bounds(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bounds=(-?\\d+),(-?\\d+),(\\d+)x(\\d+)").matcher(line);
        assertTrue(m.find(), line);
        return new String[] {m.group(1), m.group(2), m.group(3), m.group(4)};
    }

    /** The app as the command starts it, with the probe; its "FF" lines, in order. */
    private List<String> launch() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path config = tmp.resolve("environments.yaml");
        Files.writeString(config, """
                environments:
                  silent:
                    description: an SSH server that accepts and never answers
                    ssh: { host: 127.0.0.1, port: %d, user: nobody, agent: false, knownHosts: %s, connectTimeoutSeconds: 300 }
                    poll: { intervalSeconds: 60, timeoutSeconds: 60 }
                    checkSchedule: { todayFirstBefore: "00:00" }
                """.formatted(silent.getLocalPort(), home.resolve("known_hosts")));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Duser.home=" + home, "-Djava.util.prefs.userRoot=" + home.resolve("prefs"),
                "-Dglass.platform=Monocle", "-Dmonocle.platform=Headless", "-Dprism.order=sw", "-Dprism.text=t2k",
                "-Djava.awt.headless=true",
                // only the JDK modules the packaged runtime has (jpackage.sh's --add-modules): the .deb's window once
                // failed at its first pane (FXMLLoader needs java.scripting, which that list lacked) while every
                // test on a whole JDK passed
                "--limit-modules", packagedModules(),
                "-Djavafx.preloader=" + FirstFrameProbe.class.getName(),
                Main.class.getName(), "--config", config.toString()));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().put("HOME", home.toString()); // whatever it writes stays out of the user's folders
        b.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        b.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
        b.environment().put("XDG_STATE_HOME", home.resolve("state").toString());
        b.environment().remove("DUTYDESK_CONFIG");
        b.environment().remove("DUTYDESK_STORE");
        b.environment().remove("SSH_AUTH_SOCK"); // no agent, no desktop session (keyring, notifications) of the user's
        b.environment().remove("DBUS_SESSION_BUS_ADDRESS");
        Process p = b.start();
        List<String> ff = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        CompletableFuture<Void> read = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.startsWith("FF ")) {
                        synchronized (ff) {
                            ff.add(l.substring(3));
                        }
                        if (l.startsWith("FF done ")) {
                            // the session was begun (client ssh-session); its socket reaches the silent server a moment
                            // later: the probe ends the app when told (its input closed), once that connection is seen
                            acceptedOne.await(30, TimeUnit.SECONDS);
                            p.getOutputStream().close();
                        }
                    } else {
                        rest.append(l).append('\n');
                    }
                }
            } catch (java.io.IOException e) {
                rest.append(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the app with the probe ended");
            read.get(10, TimeUnit.SECONDS);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), rest.toString());
        synchronized (ff) {
            assertFalse(ff.isEmpty(), "nothing from the probe; the app said:\n" + rest);
            return List.copyOf(ff);
        }
    }

    /** The JDK modules of the packaged runtime: packaging/jpackage.sh's --add-modules list. */
    static String packagedModules() throws java.io.IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--add-modules ([a-z.,]+)")
                .matcher(java.nio.file.Files.readString(Path.of("packaging/jpackage.sh")));
        assertTrue(m.find(), "packaging/jpackage.sh names the runtime's modules");
        return m.group(1);
    }
}
