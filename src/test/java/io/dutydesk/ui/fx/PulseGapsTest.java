package io.dutydesk.ui.fx;

import io.dutydesk.core.telemetry.Telemetry;
import io.dutydesk.testing.Eventually;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FX thread's stalls, measured as the gaps between pulses: a blocked FX thread is one long gap. */
@ExtendWith(ApplicationExtension.class)
class PulseGapsTest {
    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new StackPane(), 320, 200));
        stage.show();
    }

    /** Keeps the gaps it is told. */
    static final class Recorded implements Telemetry {
        final List<Long> gaps = new CopyOnWriteArrayList<>();

        @Override
        public void pollCompleted(String backend, String kind, long nanos, boolean failed) {
        }

        @Override
        public void actionCompleted(String action, String outcome, Duration duration) {
        }

        @Override
        public void pulseGap(long nanos) {
            gaps.add(nanos);
        }

        @Override
        public AutoCloseable sshChannels(String environment, IntSupplier open, LongSupplier opened) {
            return () -> { };
        }

        @Override
        public boolean enabled() {
            return true;
        }
    }

    @Test
    void aBlockedFxThreadIsOneLongGap() throws Exception {
        Recorded r = new Recorded();
        PulseGaps g = WaitForAsyncUtils.asyncFx(() -> {
            PulseGaps p = new PulseGaps(r);
            p.start();
            return p;
        }).get();
        try {
            Eventually.await("pulses", Duration.ofSeconds(10), () -> r.gaps.size() >= 10);
            assertTrue(r.gaps.stream().limit(10).allMatch(n -> n < 250_000_000L), "pulses keep coming: " + r.gaps);
            int before = r.gaps.size();
            WaitForAsyncUtils.asyncFx(() -> {
                Thread.sleep(400); // the FX thread stalls
                return null;
            }).get();
            Eventually.await("the pulse after the stall", Duration.ofSeconds(10), () -> r.gaps.size() > before + 1);
            List<Long> gaps = List.copyOf(r.gaps); // the FX thread keeps adding
            long longest = gaps.subList(before, gaps.size()).stream().mapToLong(Long::longValue).max().orElse(0);
            assertTrue(longest >= 390_000_000L, "the stall is one gap of at least 400 ms: " + longest / 1e6 + " ms");
        } finally {
            WaitForAsyncUtils.asyncFx(g::stop).get();
        }
    }

    @Test
    void nothingRunsWithoutTelemetry() throws Exception {
        Telemetry before = Telemetry.current();
        Telemetry.install(Telemetry.NONE);
        try {
            assertNull(WaitForAsyncUtils.asyncFx(PulseGaps::startIfEnabled).get(), "no timer: no 60 Hz pulses for nothing");
        } finally {
            Telemetry.install(before);
        }
    }
}
