package io.dutydesk.app;

import io.dutydesk.adapters.support.NetworkClients;
import javafx.application.Preloader;
import javafx.collections.ListChangeListener;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside the real app's process ({@code java -Djavafx.preloader=io.dutydesk.app.FirstFrameProbe
 * io.dutydesk.app.Main --config FILE}): a JavaFX preloader, so it is on the FX thread before the app's
 * {@code start}. It watches the windows; at the first pulse of each while it shows (after its CSS and layout, before
 * it is rendered: what that frame shows) it prints the pulse's number, and for the app's window (the first shown:
 * the app shows its stage in its start, a dialog such as a password question comes later) what it shows. It also prints
 * every network client the adapters create, with its thread ({@link NetworkClients}). Once it has the frame and
 * the first SSH session, it exits. Lines start with {@code FF }; {@link FirstFrameTest} reads them.
 */
public final class FirstFrameProbe extends Preloader {
    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
            StandardCharsets.UTF_8);
    private static final CountDownLatch FRAME = new CountDownLatch(1);
    private static final CountDownLatch SSH = new CountDownLatch(1);
    /** The pulses so far: an animation timer is called once at the start of every pulse. */
    private long pulses;
    /** The app's window: the first one shown (the app shows its stage in its start; a dialog comes later, if at all). */
    private Window main;
    private final java.util.Map<Window, Long> firstFrames = new java.util.LinkedHashMap<>();

    public FirstFrameProbe() {
        // before the app's start: every client the launch creates is seen
        NetworkClients.listen((kind, thread) -> {
            say("client " + kind + " thread=" + thread.getName() + " fx=" + javafx.application.Platform.isFxApplicationThread());
            if (kind.equals(NetworkClients.SSH)) {
                SSH.countDown();
            }
        });
        Thread end = new Thread(() -> {
            try {
                boolean both = FRAME.await(120, TimeUnit.SECONDS) & SSH.await(120, TimeUnit.SECONDS);
                say("done " + both);
                // the test closes the app's input once its server has seen the connection (or it gave up waiting)
                while (System.in.read() >= 0) {
                    // nothing is sent: only the end of the input is waited for
                }
            } catch (InterruptedException e) {
                say("done interrupted");
            } catch (java.io.IOException e) {
                say("input " + e);
            }
            Runtime.getRuntime().halt(0); // what the app's stop would do is no part of this test
        }, "first-frame-probe-end");
        end.setDaemon(true);
        end.start();
    }

    private static synchronized void say(String line) {
        OUT.println("FF " + line.replace('\n', ' '));
    }

    @Override
    public void start(Stage preloaderStage) {
        new javafx.animation.AnimationTimer() {
            @Override
            public void handle(long now) {
                pulses++;
            }
        }.start();
        // the preloader's own stage is never shown: the first window shown is the app's
        Window.getWindows().addListener((ListChangeListener<Window>) c -> {
            while (c.next()) {
                for (Window w : c.getAddedSubList()) {
                    if (main == null) {
                        main = w;
                    }
                    watch(w);
                }
            }
        });
    }

    private void watch(Window w) {
        if (w.getScene() == null) {
            w.sceneProperty().addListener((o, a, s) -> {
                if (s != null) {
                    watch(w, s);
                }
            });
        } else {
            watch(w, w.getScene());
        }
    }

    private void watch(Window w, Scene scene) {
        scene.addPostLayoutPulseListener(() -> {
            if (firstFrames.containsKey(w) || !w.isShowing()) {
                return;
            }
            firstFrames.put(w, pulses);
            long ms = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
            say("first-frame pulse=" + pulses + " main=" + (w == main) + " ms=" + ms + " title="
                    + (w instanceof Stage s ? s.getTitle() : ""));
            if (w != main) {
                return;
            }
            try {
                describe(w, scene);
            } catch (RuntimeException e) {
                say("error " + e);
            }
            FRAME.countDown();
        });
    }

    /** What the frame shows: the header, the navigation, the indicators, the pane. */
    private static void describe(Window w, Scene scene) {
        Parent root = scene.getRoot();
        say("window " + (int) w.getWidth() + "x" + (int) w.getHeight() + " root=" + root.getClass().getSimpleName() + "/"
                + root.getChildrenUnmodifiable().size() + " title=" + (w instanceof Stage s ? s.getTitle() : ""));
        ComboBox<?> env = (ComboBox<?>) root.lookup("#environment-picker");
        if (env != null) {
            // the button cell (the popup's list, also among the picker's nodes, is not showing)
            String shown = env.lookupAll(".list-cell").stream().filter(FirstFrameProbe::shows)
                    .map(n -> n instanceof Labeled l ? l.getText() : null).findFirst().orElse(null);
            say("environment value=" + env.getValue() + " shown=" + shown
                    + " " + size(env));
        }
        Node summary = root.lookup("#health-summary");
        if (summary instanceof Labeled l) {
            say("summary text=" + l.getText() + " classes=" + classes(l) + " " + size(l));
        }
        ListView<?> nav = (ListView<?>) root.lookup("#navigation");
        if (nav != null) {
            List<String> cells = new ArrayList<>();
            for (Node n : nav.lookupAll(".list-cell")) {
                if (n instanceof ListCell<?> c && c.getItem() != null && c.isVisible() && c.getWidth() > 0 && c.getHeight() > 0) {
                    cells.add(c.getText());
                }
            }
            say("navigation items=" + nav.getItems().size() + " " + size(nav) + " cells=" + String.join(",", cells));
        }
        for (String id : List.of("status-full", "status-down-grouped", "status-grouped", "status-short")) {
            Node f = root.lookup("#" + id);
            if (f != null && f.isVisible()) {
                say("status form=" + id + " " + size(f));
            }
        }
        for (String b : List.of("ssh", "docker", "postgres", "redis", "prometheus", "alertmanager", "backups")) {
            Node n = root.lookup("#indicator-" + b);
            if (n instanceof Parent p) {
                List<String> texts = new ArrayList<>();
                for (Node t : p.getChildrenUnmodifiable()) {
                    if (t instanceof Labeled l && l.isVisible()) {
                        texts.add(l.getText());
                    }
                }
                say("indicator " + b + " classes=" + classes(p) + " texts=" + String.join("|", texts) + " visible="
                        + p.isVisible() + " " + size(p));
            }
        }
        // the panes in the scene: only the one shown is built (the others when first shown)
        say("panes-in-scene " + all(root).stream().map(Node::getId).filter(id -> id != null && id.startsWith("pane-")).toList());
        Node pane = shownPane(root);
        if (pane != null) {
            int texts = 0;
            for (Node n : all(pane)) {
                if (n instanceof Labeled l && l.getText() != null && !l.getText().isBlank() && shows(n)) {
                    texts++;
                }
            }
            // the shell's stand-in for a pane not built ("Not built yet.") is what an unbuilt pane would show
            boolean standIn = all(pane).stream().anyMatch(n -> n instanceof Labeled l && "Not built yet.".equals(l.getText()));
            List<String> shownIds = all(pane).stream().filter(n -> n.getId() != null && n.getId().startsWith("pane-") && shows(n))
                    .map(n -> n.getId() + "[" + classes(n) + "]").toList();
            say("pane " + String.join(",", shownIds) + " " + size(pane) + " stand-in=" + standIn + " labelled=" + texts);
            for (String id : List.of("live-badge", "rollback-badge", "action-deploy", "slot-cards", "slots-tabs")) {
                Node n = pane.lookup("#" + id);
                say("pane-part " + id + " " + (n == null ? "absent" : size(n) + " shows=" + shows(n)));
            }
        }
    }

    /** The node in the shell's pane area: the centre's first stack, its one child. */
    private static Node shownPane(Parent root) {
        if (root instanceof javafx.scene.layout.BorderPane b && b.getCenter() instanceof javafx.scene.layout.StackPane centre
                && !centre.getChildren().isEmpty() && centre.getChildren().get(0) instanceof javafx.scene.layout.Pane content
                && !content.getChildren().isEmpty()) {
            return content.getChildren().get(0);
        }
        return null;
    }

    private static List<Node> all(Node n) {
        List<Node> out = new ArrayList<>();
        out.add(n);
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                out.addAll(all(c));
            }
        }
        return out;
    }

    /** Visible up to the scene's root, with a size. */
    private static boolean shows(Node n) {
        for (Node x = n; x != null; x = x.getParent()) {
            if (!x.isVisible()) {
                return false;
            }
        }
        Bounds b = n.getLayoutBounds();
        return b.getWidth() > 0 && b.getHeight() > 0;
    }

    private static String size(Node n) {
        Bounds b = n.localToScene(n.getLayoutBounds());
        return "bounds=" + (int) b.getMinX() + "," + (int) b.getMinY() + "," + (int) b.getWidth() + "x" + (int) b.getHeight();
    }

    private static String classes(Node n) {
        Set<String> s = new java.util.TreeSet<>(n.getStyleClass());
        return String.join(",", s);
    }
}
