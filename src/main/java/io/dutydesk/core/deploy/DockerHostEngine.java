package io.dutydesk.core.deploy;

import io.dutydesk.core.ShellQuote;
import io.dutydesk.core.config.CommandTemplate;
import io.dutydesk.core.config.Environment;
import io.dutydesk.core.ports.ContainersPort;
import io.dutydesk.core.ports.ContainersPort.ContainerInfo;
import io.dutydesk.core.ports.DeployEngine;
import io.dutydesk.core.ports.RemoteShell;
import io.dutydesk.core.rollout.ActionScripts;
import io.dutydesk.core.rollout.RolloutRules;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The first {@link DeployEngine}: the services are containers on the Docker host the environment's SSH connection
 * reaches (one host: every instance names it), found by {@code slots.containerName}; the team's commands run in
 * {@code deploy.workdir} over the same connection.
 */
public final class DockerHostEngine implements DeployEngine {
    /** What {@link #runsVersion}'s check prints: "stack-version: v1.2.0" (or mixed / missing). */
    static final Pattern STACK_VERSION = Pattern.compile("stack-version: (\\S+)");
    static final Pattern FILE_STATE = Pattern.compile("backup-file: (\\S+)");

    private final Environment env;
    private final ContainersPort containers;
    private final RemoteShell shell;
    private final Clock clock;

    public DockerHostEngine(Environment env, ContainersPort containers, RemoteShell shell, Clock clock) {
        this.env = env;
        this.containers = containers;
        this.shell = shell;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "docker-host";
    }

    /** The host as the file names it (the SSH target). */
    String host() {
        return env.ssh().host();
    }

    @Override
    public CompletableFuture<StackSnapshot> read() {
        return containers.containers().thenApply(this::assemble);
    }

    StackSnapshot assemble(List<ContainerInfo> all) {
        List<StackService> out = new ArrayList<>();
        for (String service : env.slots().services()) {
            String name = env.slots().container(service, "");
            out.add(new StackService(service, host(), name, all.stream().filter(c -> c.name().equals(name)).findFirst()));
        }
        return new StackSnapshot(env.name(), name(), clock.instant(), out);
    }

    private String inWorkdir(String command) {
        return "cd " + ShellQuote.path(env.deploy().workdir()) + " && " + command;
    }

    @Override
    public CompletableFuture<HealthCheck> healthCheck() {
        String cmd = env.deploy().commands().get("healthCheck");
        if (cmd == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("environment " + env.name()
                    + " names no health check: set deploy.commands.healthCheck"));
        }
        return shell.exec(inWorkdir(cmd), Duration.ofSeconds(60), RemoteShell.OutputListener.NONE)
                .thenApply(r -> HealthCheck.parse(cmd, r.exitCode(), r.stdout() + (r.stderr().isBlank() ? "" : "\n" + r.stderr()),
                        env.slots().services()));
    }

    @Override
    public CompletableFuture<List<String>> teamLogs(String service) {
        String template = env.deploy().commands().get("logs");
        if (template == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("environment " + env.name()
                    + " names no logs command: set deploy.commands.logs"));
        }
        if (!env.slots().services().contains(service)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("'" + RolloutRules.printable(String.valueOf(service))
                    + "' is not one of this environment's services (" + String.join(", ", env.slots().services()) + ")"));
        }
        String cmd = CommandTemplate.fill("deploy.commands.logs", template, Map.of(CommandTemplate.SERVICE, service));
        return shell.exec(inWorkdir(cmd), Duration.ofSeconds(60), RemoteShell.OutputListener.NONE).thenApply(r -> {
            if (r.exitCode() != 0) {
                throw new IllegalStateException("'" + cmd + "' exited " + r.exitCode() + (r.stderr().isBlank() ? "" : ": " + r.stderr().strip()));
            }
            return r.stdout().lines().toList();
        });
    }

    /**
     * Every service's container image tag, as {@link StackSnapshot#version()} words it: one version, "mixed", or
     * "missing" when a container is not there.
     */
    @Override
    public ActionScripts.Precondition runsVersion(String expectedVersion) {
        StringBuilder b = new StringBuilder();
        b.append("DOCKER_HOST=").append(ShellQuote.quote("unix://" + env.docker().socket())).append("; export DOCKER_HOST; ");
        b.append("docker version >/dev/null 2>&1 || { echo \"docker on the server does not answer\"; exit 0; }; ");
        b.append("v_=; for c_ in");
        for (String service : env.slots().services()) {
            b.append(' ').append(ShellQuote.quote(env.slots().container(service, "")));
        }
        b.append("; do i_=$(docker inspect --format '{{.Config.Image}}' \"$c_\" 2>/dev/null) || i_=; ")
                .append("if [ -z \"$i_\" ]; then t_=missing; else t_=${i_##*/}; case \"$t_\" in *:*) t_=${t_##*:} ;; *) t_=latest ;; esac; fi; ")
                .append("if [ \"$t_\" = missing ] || [ \"$v_\" = missing ]; then v_=missing; ")
                .append("elif [ -z \"$v_\" ]; then v_=$t_; elif [ \"$v_\" != \"$t_\" ]; then v_=mixed; fi; done; ")
                .append("echo \"stack-version: ${v_:-missing}\"");
        return new ActionScripts.Precondition(b.toString(), STACK_VERSION, expectedVersion.toLowerCase(java.util.Locale.ROOT),
                "the version production runs");
    }

    @Override
    public Optional<ActionScripts.Precondition> fileExists(String path) {
        String cmd = "if [ -f " + ShellQuote.path(path) + " ]; then echo 'backup-file: present'; else echo 'backup-file: gone'; fi";
        return Optional.of(new ActionScripts.Precondition(cmd, FILE_STATE, "present", "the backup file"));
    }
}
