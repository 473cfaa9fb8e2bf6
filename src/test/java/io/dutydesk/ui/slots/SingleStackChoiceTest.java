package io.dutydesk.ui.slots;

import io.dutydesk.core.backups.BackupEntry;
import io.dutydesk.core.backups.RecordedVersion;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The single stack's "rollback to a backup" choice names the version each backup's sidecar records. */
class SingleStackChoiceTest {
    static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    static BackupEntry backup(RecordedVersion r) {
        return new BackupEntry("lifeos_predeploy_20261201_100000.sql.gz", "/srv/b", "/srv/b/lifeos_predeploy_20261201_100000.sql.gz",
                "pre-deployment", 10, T, T, null, Optional.empty(), r);
    }

    @Test
    void eachChoiceSaysTheVersionRecordedWithItOrUnknown() {
        assertEquals("/srv/b/lifeos_predeploy_20261201_100000.sql.gz   —   version v1.4.0", SingleStackView.choice(backup(RecordedVersion.of("v1.4.0"))));
        assertEquals("/srv/b/lifeos_predeploy_20261201_100000.sql.gz   —   version unknown",
                SingleStackView.choice(backup(RecordedVersion.unknown("no x.version"))));
    }
}
