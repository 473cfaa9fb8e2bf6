package io.dutydesk.ui.fx;

import java.util.Objects;

/**
 * What a pane puts in the window's header whichever pane is shown (the maintenance lock of the selected environment:
 * "LOCKED by alice@ws since 09:12: db migration", or "lock state unknown"): a warn chip with its detail as tooltip.
 * {@link #NONE} shows nothing.
 *
 * @param text   the chip's words, "" for no chip
 * @param detail the tooltip (who, why, since when, what is refused; or why it cannot be told)
 * @param state  its style: "warn" (held, or cannot be read) or "unknown" (being read)
 */
public record HeaderNote(String text, String detail, String state) {
    public static final HeaderNote NONE = new HeaderNote("", "", "unknown");

    public HeaderNote {
        Objects.requireNonNull(text);
        Objects.requireNonNull(detail);
        Objects.requireNonNull(state);
    }

    public boolean shown() {
        return !text.isEmpty();
    }
}
