package io.dutydesk.cli;

import io.dutydesk.core.rollout.Reconciled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CLI's line after it completed the audit entries a stopped console left open: an end read from the server's exit
 * files is said so; a job that never started is said to have never started (nothing ran), never "from the exit files".
 */
class ReconciledLineTest {
    @Test
    void endsReadFromTheExitFilesSaySo() {
        assertEquals("dutydesk: completed 1 audit entry left open by a console that stopped (from the server's exit files)",
                RolloutCommands.reconciledLine(new Reconciled(1, 0, 0)));
        assertEquals("dutydesk: completed 2 audit entries left open by a console that stopped (from the server's exit files)",
                RolloutCommands.reconciledLine(new Reconciled(2, 0, 0)));
    }

    @Test
    void aJobThatNeverStartedIsSaidToHaveNeverStarted() {
        assertEquals("dutydesk: completed 1 audit entry left open by a console that stopped: its job never started on the "
                + "server; nothing ran", RolloutCommands.reconciledLine(new Reconciled(0, 1, 0)));
        assertEquals("dutydesk: completed 2 audit entries left open by a console that stopped: their jobs never started on "
                + "the server; nothing ran", RolloutCommands.reconciledLine(new Reconciled(0, 2, 0)));
    }

    @Test
    void mixedEndsAreCountedEachInItsWords() {
        assertEquals("dutydesk: completed 3 audit entries left open by a console that stopped: 1 from the server's exit "
                + "files; 1 never started on the server (nothing ran); 1 unknown (the server has no end of it)",
                RolloutCommands.reconciledLine(new Reconciled(1, 1, 1)));
    }
}
