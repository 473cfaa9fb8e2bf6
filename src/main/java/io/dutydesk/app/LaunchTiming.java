package io.dutydesk.app;

import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.ui.shell.ShellViewModel;
import javafx.application.Platform;

import java.lang.management.ManagementFactory;

/**
 * With -Ddutydesk.benchmark=launch the app prints, once every backend has answered (ok or
 * not), the time since the JVM started, and exits: what the launch benchmark measures.
 */
final class LaunchTiming {
    private LaunchTiming() {}

    static void attach(ShellViewModel vm) {
        if (!"launch".equals(System.getProperty("dutydesk.benchmark"))) {
            return;
        }
        vm.onHealth(s -> {
            boolean allAnswered = s.all().stream().noneMatch(b -> b.state() == BackendStatus.State.UNKNOWN);
            if (allAnswered) {
                long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                System.out.println("DUTYDESK-READY " + ms + " ok=" + s.okCount());
                System.out.flush();
                Platform.exit();
                System.exit(0);
            }
        });
    }
}
