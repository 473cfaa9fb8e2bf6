package io.dutydesk.core;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PhaseTest {
    /**
     * The process's start, to ~10 ms: before the JVM's own start time (the JVM initialises after the exec) and close to it.
     * The JDK's process start instant carries the boot time in whole seconds: it was off by up to a second.
     */
    @Test
    void theProcessStartIsReadToTheHundredthOfASecond() {
        long jvm = ManagementFactory.getRuntimeMXBean().getStartTime();
        long process = Phase.start();
        assertTrue(process <= jvm + 20, "the process starts before its JVM: process " + process + ", JVM " + jvm);
        assertTrue(jvm - process < 500, "within half a second of the JVM's start: process " + process + ", JVM " + jvm);
    }
}
