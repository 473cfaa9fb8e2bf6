package io.dutydesk.core.ports;

import io.dutydesk.core.deploy.HealthCheck;
import io.dutydesk.core.deploy.StackSnapshot;
import io.dutydesk.core.rollout.ActionScripts;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where an environment's services run and how the console sees them: the one port of a deploy model's engine. The first
 * engine is the Docker host reached over the environment's SSH connection ({@link io.dutydesk.core.deploy.DockerHostEngine});
 * nothing here assumes one host per environment: every service instance names its host, a stack is a list of instances,
 * and the checks the server runs inside the action lock are the engine's to write (a Swarm or Kubernetes engine asks its
 * manager / API server instead of {@code docker inspect} on one host).
 */
public interface DeployEngine {
    /** The engine's name, e.g. "docker-host". */
    String name();

    /** Every configured service's instances as the engine sees them now (state, health, version, uptime, restarts). */
    CompletableFuture<StackSnapshot> read();

    /** The team's health check ({@code deploy.commands.healthCheck}) and its per-service result. */
    CompletableFuture<HealthCheck> healthCheck();

    /** The team's view of a service's log ({@code deploy.commands.logs}), the last lines it prints. */
    CompletableFuture<List<String>> teamLogs(String service);

    /**
     * A check the server runs inside the action lock before a command: what version the stack runs, compared with
     * {@code expectedVersion} ({@link StackSnapshot#version()}'s words: a version, "mixed" or "missing").
     */
    ActionScripts.Precondition runsVersion(String expectedVersion);

    /** A check inside the lock that {@code path} (a backup) is still on the server; empty when the engine cannot say. */
    Optional<ActionScripts.Precondition> fileExists(String path);
}
