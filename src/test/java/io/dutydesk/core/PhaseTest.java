package io.dutydesk.core;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhaseTest {
    /**
     * The process's age, to ~10 ms: at least the JVM's uptime (the JVM initialises after the exec) and close to it. Both are
     * ages, read one after the other: a step of the wall clock since the JVM started (a CI run's virtual machine had one of
     * 1.3 s) moves neither. The JDK's process start instant carries the boot time in whole seconds: it was off by up to 1 s.
     */
    @Test
    void theProcessAgeIsReadToTheHundredthOfASecond() {
        long jvm = ManagementFactory.getRuntimeMXBean().getUptime();
        long process = Phase.age();
        long jvmAfter = ManagementFactory.getRuntimeMXBean().getUptime();
        assertTrue(process + 20 >= jvm, "the process started before its JVM: process age " + process + " ms, JVM uptime " + jvm);
        assertTrue(process - jvmAfter < 500, "within half a second of the JVM's start: process age " + process + " ms, JVM uptime " + jvmAfter);
    }

    /**
     * The age is the boot clock's alone (/proc/uptime minus the start in 1/100 s since boot): no wall-clock figure can
     * refuse it. A process name may hold blanks and parentheses; a start after the uptime (ticks of another size) is -1.
     */
    @Test
    void theAgeIsReadFromTheBootClockAlone() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 9 0 0 0 1 0 0 0 20 0 31 0 12345 7000000 900 18446744073709551615";
        assertEquals(77_050, Phase.bootClockAge(stat, "200.50 390.12\n"));
        assertEquals(0, Phase.bootClockAge(stat, "123.45 1.00\n"));
        assertEquals(-1, Phase.bootClockAge(stat, "120.00 1.00\n"));
    }
}
