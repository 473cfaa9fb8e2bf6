package io.dutydesk.core.config;

/**
 * Where a secret comes from. The environments file only ever holds a reference, never the
 * secret itself.
 */
public sealed interface SecretRef {
    /** No secret (e.g. a Redis without a password). */
    record None() implements SecretRef {}

    /** A variable of the console's own environment. */
    record Env(String variable) implements SecretRef {}

    /** A file on the server, read over SFTP. */
    record ServerFile(String path) implements SecretRef {}

    /**
     * One key of a dotenv file on the server ({@code DB_PASSWORD=...} in {@code .env.production}),
     * read over SFTP; comments, blank lines, {@code export } prefixes and quotes are understood.
     */
    record DotenvKey(String path, String key) implements SecretRef {}

    /** Asked of the user when first needed; kept in memory only. */
    record Prompt(String label) implements SecretRef {}

    /** The OS keyring (libsecret's secret-tool on Linux), looked up by name. */
    record Keyring(String name) implements SecretRef {}

    default String describe() {
        if (this instanceof Env e) return "environment variable " + e.variable();
        if (this instanceof ServerFile f) return "server file " + f.path();
        if (this instanceof DotenvKey d) return d.key() + " in server file " + d.path();
        if (this instanceof Prompt p) return "prompt (" + p.label() + ")";
        if (this instanceof Keyring k) return "keyring entry " + k.name();
        return "none";
    }
}
