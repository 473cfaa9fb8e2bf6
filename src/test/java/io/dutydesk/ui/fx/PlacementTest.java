package io.dutydesk.ui.fx;

import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where the main window opens: whole on the screen, from 1024x640 up (the window trial's 1024x640 and 1400x900). */
class PlacementTest {
    @Test
    void theMainWindowFitsTheScreenItOpensOn() {
        // 1024x640: it was 1240x740 and hung off the right and the bottom (the status line and the log's end unseen)
        assertEquals(new Rectangle2D(0, 0, 1024, 640), Placement.mainWindow(new Rectangle2D(0, 0, 1024, 640), 1240, 740, 1024, 640));
        // 1400x900: its usual size, centred
        assertEquals(new Rectangle2D(80, 80, 1240, 740), Placement.mainWindow(new Rectangle2D(0, 0, 1400, 900), 1240, 740, 1024, 640));
        // a panel on top (usable area from y=28) and a second screen left of it
        assertEquals(new Rectangle2D(-1366, 42, 1240, 740), Placement.mainWindow(new Rectangle2D(-1366, 28, 1240, 768), 1240, 740, 1024, 640));
        // never smaller than it lays out in, even on a smaller screen: its top left is on the screen
        assertEquals(new Rectangle2D(0, 0, 1024, 640), Placement.mainWindow(new Rectangle2D(0, 0, 800, 600), 1240, 740, 1024, 640));
    }
}
