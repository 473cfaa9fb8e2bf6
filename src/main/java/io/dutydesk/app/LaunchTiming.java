package io.dutydesk.app;

import io.dutydesk.ui.shell.ShellViewModel;
import javafx.application.Platform;
import javafx.scene.Scene;

import java.lang.management.ManagementFactory;

/**
 * With -Ddutydesk.benchmark=launch the app prints, once the window's first frame has been
 * rendered AND every backend has answered (ok or not), the time since the JVM started, and
 * exits: what the launch benchmark measures. Both callbacks run on the FX thread.
 */
final class LaunchTiming {
    private LaunchTiming() {}

    /** In benchmark mode, prints how far the launch is (ms since the JVM started). */
    static void mark(String phase) {
        if ("launch".equals(System.getProperty("dutydesk.benchmark"))) {
            System.out.println("DUTYDESK-PHASE " + phase + " " + ManagementFactory.getRuntimeMXBean().getUptime());
        }
    }

    static void attach(ShellViewModel vm, Scene scene) {
        if (!"launch".equals(System.getProperty("dutydesk.benchmark"))) {
            return;
        }
        int[] pulsesWhileShowing = {0};
        long[] ok = {-1};
        Runnable check = () -> {
            // the second pulse while showing: the first frame has been laid out and rendered
            if (pulsesWhileShowing[0] >= 2 && ok[0] >= 0) {
                long ms = ManagementFactory.getRuntimeMXBean().getUptime(); // monotonic, as the phases: not the wall clock
                System.out.println("DUTYDESK-READY " + ms + " ok=" + ok[0]);
                System.out.flush();
                Platform.exit();
                System.exit(0);
            }
        };
        scene.addPostLayoutPulseListener(() -> {
            if (scene.getWindow() != null && scene.getWindow().isShowing() && pulsesWhileShowing[0] < 2) {
                pulsesWhileShowing[0]++;
                mark("pulse-" + pulsesWhileShowing[0]);
                Platform.requestNextPulse(); // a static window would not pulse again by itself
                check.run();
            }
        });
        vm.onHealth(s -> {
            if (s.allAnswered()) {
                ok[0] = s.okCount();
                mark("backends-answered");
                check.run();
            }
        });
    }
}
