package io.dutydesk.bench;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * The floor of the launch benchmark: a bare JavaFX window plus one SSH handshake to the same
 * host with the same key — what any console must pay before showing anything from a server.
 * Args: host port user identity knownHosts.
 */
public final class FloorApp extends Application {
    /** Not a JavaFX Application itself: a main in one would trip the launcher's module check. */
    public static final class Main {
        public static void main(String[] args) {
            Application.launch(FloorApp.class, args);
        }
    }

    @Override
    public void start(Stage stage) {
        String[] target = getParameters().getRaw().toArray(String[]::new);
        Scene scene = new Scene(new Label("floor"), 400, 200);
        stage.setScene(scene);
        // the same rule as the app: shown = the second pulse while showing (first frame rendered)
        int[] pulses = {0};
        java.util.concurrent.CountDownLatch shown = new java.util.concurrent.CountDownLatch(1);
        scene.addPostLayoutPulseListener(() -> {
            if (stage.isShowing() && pulses[0] < 2) {
                if (++pulses[0] == 2) {
                    shown.countDown();
                } else {
                    Platform.requestNextPulse();
                }
            }
        });
        stage.show();
        Thread t = new Thread(() -> {
            try {
                JSch jsch = new JSch();
                jsch.setKnownHosts(target[4]);
                jsch.addIdentity(target[3]);
                Session s = jsch.getSession(target[2], target[0], Integer.parseInt(target[1]));
                s.setHostKeyAlias("[" + target[0] + "]:" + target[1]);
                s.setConfig("StrictHostKeyChecking", "yes");
                s.connect(10_000);
                s.disconnect();
                shown.await();
                long ms = System.currentTimeMillis()
                        - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                System.out.println("FLOOR-READY " + ms);
                System.out.flush();
            } catch (Exception e) {
                System.out.println("FLOOR-FAILED " + e);
            }
            Platform.exit();
            System.exit(0);
        });
        t.start();
    }
}
