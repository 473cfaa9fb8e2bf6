package io.dutydesk.core.backups;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The version a backup's own sidecar names ({@code FILE.version} by default, {@code backups.versionSidecar}): the version
 * deployed when the team's script took the backup. Either a version, or unknown with why (no sidecar, empty, not a
 * version, too large, unreadable): a sidecar never fails the listing it belongs to.
 */
public record RecordedVersion(Optional<String> version, String unknownWhy) {
    /** A sidecar larger than this is not read at all (a version is one short line). */
    public static final int MAX_BYTES = 256;
    /** What a version may look like: a Docker tag ({@code [\w][\w.-]{0,127}}), optionally with a '+' build part. */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}");

    /** Nothing known (an entry built without its folder's sidecars). */
    public static final RecordedVersion NOT_READ = unknown("sidecars not read");

    public RecordedVersion {
        version = version == null ? Optional.empty() : version;
        unknownWhy = unknownWhy == null ? "" : unknownWhy;
    }

    public static RecordedVersion of(String v) {
        return new RecordedVersion(Optional.of(v), "");
    }

    public static RecordedVersion unknown(String why) {
        return new RecordedVersion(Optional.empty(), why);
    }

    public boolean known() {
        return version.isPresent();
    }

    /** "v1.4", or "unknown". */
    public String text() {
        return version.orElse("unknown");
    }

    /** "v1.4 (recorded with the backup)", or "unknown (no x.sql.gz.version)". */
    public String describe() {
        return version.map(v -> v + " (recorded with the backup)").orElse("unknown (" + unknownWhy + ")");
    }

    /**
     * The sidecar {@code sidecarName}'s content: its first line, trimmed, must be one version (UTF-8, a Docker-tag-like
     * word); anything else — empty, binary, several words, longer than {@link #MAX_BYTES} — is unknown, with why.
     */
    public static RecordedVersion parse(String sidecarName, byte[] content) {
        if (content == null) {
            return unknown(sidecarName + " could not be read");
        }
        if (content.length > MAX_BYTES) {
            return unknown(sidecarName + " is larger than " + MAX_BYTES + " bytes: not a version");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return unknown(sidecarName + " is not text");
        }
        int nl = text.indexOf('\n');
        String first = (nl >= 0 ? text.substring(0, nl) : text).strip();
        if (first.isEmpty()) {
            return unknown(sidecarName + " is empty");
        }
        if (!VERSION.matcher(first).matches()) {
            return unknown(sidecarName + " does not name a version: '" + BackupCatalog.printable(first) + "'");
        }
        return of(first);
    }
}
