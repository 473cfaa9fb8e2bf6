package io.dutydesk.adapters.support;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BoundedExecutorsTest {
    @Test
    void aFullQueueIsBusyAndAClosedPoolSaysClosed() throws Exception {
        ExecutorService ex = BoundedExecutors.create("probe", 1, 1);
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        ex.execute(() -> {
            running.countDown();
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.await(10, TimeUnit.SECONDS);
        ex.execute(() -> { }); // the one queued
        ExecutionException busy = assertThrows(ExecutionException.class, () -> BoundedExecutors.supply(ex, () -> 1).get());
        assertEquals("probe is busy (1 requests waiting)", busy.getCause().getMessage());
        hold.countDown();
        ex.shutdown();
        ExecutionException closed = assertThrows(ExecutionException.class, () -> BoundedExecutors.supply(ex, () -> 1).get());
        assertEquals("probe is closed", closed.getCause().getMessage());
    }
}
