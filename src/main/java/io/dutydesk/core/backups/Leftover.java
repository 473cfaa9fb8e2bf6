package io.dutydesk.core.backups;

import java.time.Instant;

/**
 * A partial file in a backup folder ({@code NAME.part}): what a backup or safety backup that was killed
 * left behind. Listed with the backups and removable (once nothing writes to it).
 */
public record Leftover(String name, String folder, String path, long sizeBytes, Instant modifiedAt) {}
