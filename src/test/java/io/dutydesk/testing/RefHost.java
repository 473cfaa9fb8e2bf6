package io.dutydesk.testing;

import io.dutydesk.core.config.Environment;
import io.dutydesk.core.config.EnvironmentsFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The reference host brought up by the build (src/refhost/refhost up), seen from a test. */
public final class RefHost {
    public static final int SSH_PORT = 24022;
    public static final int SSH_PORT_NOSTREAM = 24023;
    public static final int NGINX_PORT = 24080;
    public static final int PG_PORT = 24432;
    /** A second Redis, with no password at all. */
    public static final int REDIS_OPEN_PORT = 24380;

    private RefHost() {}

    public static Path dir() {
        return Path.of(System.getProperty("dutydesk.refhost.dir", "/tmp/dutydesk-refhost"));
    }

    public static Path config() {
        Path p = dir().resolve("dutydesk-environments.yaml");
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " missing: the reference host is not up (run src/refhost/refhost up)");
        }
        return p;
    }

    /**
     * The reference host's environments file with a longer per-call timeout (poll.timeoutSeconds),
     * for tests that start the CLI as a new JVM: on a loaded build machine its first Docker read
     * through a fresh SSH forward can take longer than the default allows.
     */
    public static Path patientConfig(Path dir) {
        try {
            Path p = dir.resolve("patient-environments.yaml");
            if (!Files.exists(p)) {
                // into every environment of the file (appended at its end it would reach only the last one)
                Files.writeString(p, Files.readString(config()).replaceAll("(?m)^(  [A-Za-z0-9][A-Za-z0-9_.-]*:)$",
                        "$1\n    poll: { timeoutSeconds: 20 }"));
            }
            return p;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static Environment ref() {
        return EnvironmentsFile.load(config()).require("ref");
    }

    public static Path script() {
        return Path.of(System.getProperty("dutydesk.refhost.script", "src/refhost/refhost"));
    }

    public static Path hostPublicKey() {
        return dir().resolve("ssh/host_ed25519.pub");
    }

    public static void stop(String backend) {
        run(Duration.ofSeconds(60), script().toString(), "stop", backend);
    }

    public static void start(String backend) {
        run(Duration.ofSeconds(120), script().toString(), "start", backend);
    }

    /** Hangs a backend (SIGSTOP: it keeps its port and answers nothing) until {@link #resume}. */
    public static void pause(String backend) {
        run(Duration.ofSeconds(60), script().toString(), "pause", backend);
    }

    public static void resume(String backend) {
        run(Duration.ofSeconds(60), script().toString(), "resume", backend);
    }

    /** Runs a command, fails the test if it fails; returns stdout. */
    public static String run(Duration timeout, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The built jar (target/dutydesk.jar). */
    public static Path jar() {
        return Path.of(System.getProperty("dutydesk.jar", "target/dutydesk.jar"));
    }

    /**
     * {@code java [jvm] -jar target/dutydesk.jar}: the built jar as a user starts it, plus two JVM options that only
     * make a short-lived JVM start sooner and change nothing the console does: the client compiler alone
     * ({@code -XX:TieredStopAtLevel=1}: a CLI run is over before the server compiler pays off) and a class-data archive of
     * the jar's classes ({@link #classArchive}). The JVM's own archive messages are off (they would go to stdout).
     */
    public static List<String> javaJar(List<String> jvm) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        classArchive().ifPresent(a -> cmd.add("-XX:SharedArchiveFile=" + a));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar().toString()));
        return cmd;
    }

    private static java.util.Optional<Path> archive = null;

    /**
     * The archive of the classes a CLI run loads (AppCDS: JDK 17's dynamic archive, {@code -XX:ArchiveClassesAtExit}): the
     * jar's own (target/dutydesk.jsa, written after the jar at package time by packaging/cds-archive.sh, whose training
     * loads what a real connection loads: as fast as an archive of a real run, and no 10 s run to make one); without it
     * ({@code -Dcds.skip=true}, or older than the jar), one made once per build of the jar (its size and time are in the
     * name) by one {@code ping} of the reference host, which loads every backend's client; empty if it could not be made:
     * the runs then load their classes from the jar, only slower.
     */
    static synchronized java.util.Optional<Path> classArchive() {
        if (archive != null) {
            return archive;
        }
        archive = java.util.Optional.empty();
        try {
            Path jar = jar();
            Path packaged = jar.resolveSibling("dutydesk.jsa");
            if (Files.isRegularFile(packaged) && Files.getLastModifiedTime(packaged).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                archive = java.util.Optional.of(packaged);
                return archive;
            }
            Path a = jar.resolveSibling("cds").resolve("dutydesk-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis() + ".jsa");
            if (!Files.exists(a)) {
                Files.createDirectories(a.getParent());
                Path part = a.resolveSibling(a.getFileName() + ".part");
                Files.deleteIfExists(part);
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-XX:ArchiveClassesAtExit=" + part,
                        "-jar", jar.toString(), "ping", "--env", "ref", "--json", "--config", config().toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.getOutputStream().close();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return archive;
                }
                if (!Files.exists(part)) {
                    return archive;
                }
                Files.move(part, a, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            archive = java.util.Optional.of(a);
        } catch (IOException e) {
            // no archive: slower, not different
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return archive;
    }

    /** java -jar dutydesk.jar ARGS, with its exit code and output. */
    public static Result dutydesk(Duration timeout, String... args) {
        return dutydesk(timeout, List.of(), args);
    }

    /** The same with JVM options (e.g. -Duser.home=...). */
    public static Result dutydesk(Duration timeout, List<String> jvm, String... args) {
        return dutydesk(timeout, jvm, java.util.Map.of(), args);
    }

    /** The same with extra environment variables. */
    public static Result dutydesk(Duration timeout, List<String> jvm, java.util.Map<String, String> env, String... args) {
        List<String> cmd = javaJar(jvm);
        cmd.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            var err = new java.util.concurrent.CompletableFuture<String>();
            Thread t = new Thread(() -> {
                try {
                    err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.complete("");
                }
            });
            t.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("dutydesk " + String.join(" ", args) + " did not finish");
            }
            return new Result(p.exitValue(), out, err.get(5, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public record Result(int exitCode, String stdout, String stderr) {}

    /** The deploy user's home on the reference host. */
    public static Path serverHome() {
        return dir().resolve("srv");
    }

    /**
     * The version {@code ref-single}'s stack runs, read from Docker on the host, not through the console: its containers'
     * image tag (the version production runs, as the console's engine words it), the same for both.
     */
    public static String singleStackVersion() {
        List<String> tags = run(Duration.ofSeconds(30), "docker", "inspect", "-f", "{{.Config.Image}}", "lifeos-app-1", "lifeos-worker-1")
                .lines().map(image -> image.substring(image.lastIndexOf(':') + 1)).distinct().toList();
        if (tags.size() != 1) {
            throw new AssertionError("ref-single's containers run different versions: " + tags);
        }
        return tags.get(0);
    }

    /**
     * SQL as the reference host's PostgreSQL superuser (peer auth on its unix socket), for a test's set-up and clean-up:
     * {@code DROP DATABASE … WITH (FORCE)} as an ordinary role is refused while an autovacuum worker (a process of no
     * role) is in that database — as it is right after a test loaded rows into it.
     */
    public static String psqlAsSuperuser(String database, String sql) {
        return run(Duration.ofSeconds(60), "runuser", "-u", "postgres", "--", "psql", "-X", "-qtA", "-h", dir().resolve("pgsock").toString(),
                "-p", String.valueOf(PG_PORT), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql).strip();
    }

    /** SQL as the services' role (selfology, its password from the server's secrets file, never on a command line). */
    public static String psql(String database, String sql) {
        return run(Duration.ofSeconds(60), "sh", "-c", "PGPASSWORD=$(cat " + serverHome().resolve("secrets/pg_password")
                + ") psql -X -qtA -h 127.0.0.1 -p " + PG_PORT + " -U selfology -d \"$1\" -v ON_ERROR_STOP=1 -c \"$0\"", sql, database).strip();
    }

    /** GET from the reference host's nginx, as a user of the service would. */
    public static String nginx(String path) {
        return run(Duration.ofSeconds(10), "curl", "-fsS", "-m", "5", "http://127.0.0.1:" + NGINX_PORT + path).strip();
    }
}
