package io.dutydesk.ui.shell;

import io.dutydesk.core.health.BackendStatus;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The backends in one state, as one chip of the status bar when the window is too narrow for one
 * indicator each: "7 down;" "last answer at 11:04:34: SSH, Docker, …", or "3 ok" "SSH, Redis, Backups". The
 * members' own hover texts, one after the other, on hover. A group never hides a member's state: the
 * count and the colour stay, only the per-backend details move into the hover text.
 */
public final class BackendGroupViewModel {
    private final BackendStatus.State state;
    private final IntegerProperty count = new SimpleIntegerProperty();
    private final StringProperty head = new SimpleStringProperty("");
    private final StringProperty text = new SimpleStringProperty("");
    private final StringProperty shortText = new SimpleStringProperty("");
    private final StringProperty details = new SimpleStringProperty("");

    BackendGroupViewModel(BackendStatus.State state) {
        this.state = state;
    }

    public BackendStatus.State state() { return state; }

    /** How many backends are in this state; 0: the chip is not shown. */
    public ReadOnlyIntegerProperty countProperty() { return count; }

    /** "7 down;", "2 misconfigured", "3 ok", "7 checking"; one backend: its name. */
    public ReadOnlyStringProperty headProperty() { return head; }

    /** After the head, with the members' names: "last answer at 11:04:34: SSH, Docker, PostgreSQL". */
    public ReadOnlyStringProperty textProperty() { return text; }

    /** After the head, without the names (they are on hover): "last answer at 11:04:34", "no answer yet", or empty. */
    public ReadOnlyStringProperty shortTextProperty() { return shortText; }

    /** Every member's hover text. */
    public ReadOnlyStringProperty detailsProperty() { return details; }

    /** {@code all}: every indicator, in the order the bar shows them; the group takes those in its state. */
    void update(List<BackendIndicatorViewModel> all) {
        List<BackendIndicatorViewModel> in = all.stream().filter(i -> i.stateProperty().get() == state).toList();
        count.set(in.size());
        details.set(in.stream().map(i -> i.detailsProperty().get()).collect(Collectors.joining("\n\n")));
        if (in.isEmpty()) {
            head.set("");
            text.set("");
            shortText.set("");
            return;
        }
        if (in.size() == 1) { // one backend: as its own indicator says it
            head.set(in.get(0).backend().label());
            text.set(in.get(0).textProperty().get());
            shortText.set(in.get(0).textProperty().get());
            return;
        }
        String names = in.stream().map(i -> i.backend().label()).collect(Collectors.joining(", "));
        switch (state) {
            case DOWN -> {
                // named by the last answer, as each indicator, the header and the panes say it (Outage): the earliest
                // of the members' (what was read through them is as of then at the oldest)
                List<Instant> last = in.stream().map(i -> i.status().lastOkAt()).filter(Objects::nonNull).sorted().toList();
                BackendIndicatorViewModel any = in.get(0);
                String earliest = any.lastAnswer(last.isEmpty() ? null : last.get(0));
                boolean one = last.size() == in.size() && earliest.equals(any.lastAnswer(last.get(last.size() - 1))); // to the second
                String when = earliest + (last.isEmpty() || one ? "" : " (the earliest)");
                head.set(in.size() + " down;"); // "7 down; last answer at 11:04:34", as one backend's "down; last answer at …"
                text.set(when.isEmpty() ? names : when + ": " + names);
                shortText.set(when);
            }
            case MISCONFIGURED -> {
                head.set(in.size() + " misconfigured");
                text.set(names);
                shortText.set("");
            }
            case NOT_CONFIGURED -> {
                head.set(in.size() + " not configured");
                text.set(names);
                shortText.set("");
            }
            case OK -> {
                head.set(in.size() + " ok");
                text.set(names);
                shortText.set("");
            }
            default -> {
                head.set(in.size() + " " + (in.stream().anyMatch(i -> i.status().error() != null) ? "connecting…" : "checking…"));
                text.set(names);
                shortText.set("");
            }
        }
    }
}
