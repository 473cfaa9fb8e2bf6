package io.dutydesk.core;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

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
}
