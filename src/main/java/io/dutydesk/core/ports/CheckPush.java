package io.dutydesk.core.ports;

import io.dutydesk.core.check.CheckRun;

import java.util.concurrent.CompletableFuture;

/**
 * A Prometheus Pushgateway: a run's statuses as {@code dutydesk_check_status{env,check}} (0 pass, 1 warn, 2 fail,
 * 3 unknown), replacing what the environment's group held (a check taken out of the file disappears).
 */
public interface CheckPush {
    CompletableFuture<Void> push(CheckRun run);
}
