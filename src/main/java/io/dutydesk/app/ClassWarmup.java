package io.dutydesk.app;

/**
 * Loads the backend clients' classes (docker-java, Jackson, JDBC, Jedis, JSch) on a spare core
 * while JavaFX starts, so the first poll of every backend does not pay for class loading.
 * Loads classes only: opens nothing, reads nothing.
 */
final class ClassWarmup {
    private static final String[] CLASSES = {
        "com.jcraft.jsch.JSch", "com.jcraft.jsch.Session", "com.jcraft.jsch.jce.SignatureEd25519",
        "com.github.dockerjava.core.DockerClientImpl", "com.github.dockerjava.httpclient5.ApacheDockerHttpClient",
        "com.github.dockerjava.core.DefaultDockerClientConfig", "com.github.dockerjava.core.exec.PingCmdExec",
        "com.fasterxml.jackson.databind.ObjectMapper", "org.postgresql.Driver", "org.postgresql.core.v3.ConnectionFactoryImpl",
        "redis.clients.jedis.Jedis", "redis.clients.jedis.DefaultJedisClientConfig", "java.net.http.HttpClient",
        "org.yaml.snakeyaml.Yaml",
    };

    private ClassWarmup() {}

    static void start() {
        Thread t = new Thread(() -> {
            ClassLoader cl = ClassWarmup.class.getClassLoader();
            for (String c : CLASSES) {
                try {
                    Class.forName(c, true, cl);
                } catch (Throwable ignored) {
                    // a class that moved in a library update only costs the warm-up
                }
            }
        }, "dutydesk-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }
}
