package io.dutydesk.ui.slots;

import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.RecordedVersion;
import io.dutydesk.core.backups.Verification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The single stack's "rollback to a backup" choice starts with the backup's file name (the dialog cuts a long line at its end:
 * with the full path first, the window trial saw "/tmp/…/lifeos-backups/lifeos_predeploy_20261203_…" for every backup) and
 * names the version each backup's sidecar records and whether it was verified.
 */
class SingleStackChoiceTest {
    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    static final String PATH = "/srv/b/lifeos_predeploy_20261201_100000.sql.gz";

    static BackupEntry backup(RecordedVersion r) {
        return backup(r, Optional.empty());
    }

    static BackupEntry backup(RecordedVersion r, Optional<Verification> v) {
        return new BackupEntry("lifeos_predeploy_20261201_100000.sql.gz", "/srv/b", PATH, "pre-deployment", 10, T, T, null, v, r);
    }

    @Test
    void eachChoiceStartsWithTheNameAndSaysTheVersionRecordedWithItAndTheVerification() {
        assertEquals("lifeos_predeploy_20261201_100000.sql.gz   —   version v1.4.0   —   not verified",
                SingleStackView.choice(backup(RecordedVersion.of("v1.4.0"))));
        assertEquals("lifeos_predeploy_20261201_100000.sql.gz   —   version unknown   —   verified",
                SingleStackView.choice(backup(RecordedVersion.unknown("no x.version"),
                        Optional.of(new Verification(PATH, 10, T, true, "gzip -t: intact", T.plusSeconds(60))))));
        assertEquals("lifeos_predeploy_20261201_100000.sql.gz   —   version v1.4.0   —   verification FAILED",
                SingleStackView.choice(backup(RecordedVersion.of("v1.4.0"),
                        Optional.of(new Verification(PATH, 10, T, false, "gzip -t: corrupt", T.plusSeconds(60))))));
    }
}
