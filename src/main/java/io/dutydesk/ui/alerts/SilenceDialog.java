package io.dutydesk.ui.alerts;

import io.dutydesk.core.Errors;
import io.dutydesk.core.alerts.AlertFilter;
import io.dutydesk.core.alerts.Matcher;
import io.dutydesk.core.alerts.SilenceDurations;
import io.dutydesk.core.alerts.SilenceRequest;
import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Acknowledge = silence: the matchers (prefilled from the alert, editable), how long (1 h, 4 h, until
 * 09:00 tomorrow, custom), a required comment; the author is the local user. The Silence button stays
 * disabled until the request is valid; Alertmanager's refusal is shown in the dialog, in its words.
 */
public final class SilenceDialog extends Dialog<String> {
    static final ButtonType SILENCE = new ButtonType("Silence", ButtonBar.ButtonData.OK_DONE);
    private static final DateTimeFormatter ENDS = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", java.util.Locale.ROOT);

    /** Wraps, so every matcher is seen before it is sent (a one-line field cut off the last ones); one line of text. */
    final TextArea matchers = new TextArea();
    final Label environment = new Label();
    final RadioButton oneHour = new RadioButton("1 h");
    final RadioButton fourHours = new RadioButton("4 h");
    final RadioButton tomorrow = new RadioButton("until 09:00 tomorrow");
    final RadioButton custom = new RadioButton("custom");
    final TextField customText = new TextField();
    final TextArea comment = new TextArea();
    final Label ends = new Label();
    final Label problems = new Label();
    private final Clock clock;
    private final String author;

    public SilenceDialog(Window owner, List<Matcher> prefill, String author, String env, Clock clock,
                         Function<SilenceRequest, CompletableFuture<String>> send) {
        this.clock = clock;
        this.author = author;
        initOwner(owner);
        setTitle("Silence alerts on " + env);
        setHeaderText("Acknowledge on " + env + ": silence the alerts these matchers select");
        // named inside the dialog too (a window manager's title bar may not show it, or cut it)
        environment.setId("silence-environment");
        environment.setText("Environment: " + env);
        environment.getStyleClass().add("confirm-environment");
        environment.setMaxWidth(Double.MAX_VALUE);
        getDialogPane().getStyleClass().add("silence-dialog");
        getDialogPane().getButtonTypes().addAll(SILENCE, ButtonType.CANCEL);
        setResizable(true);

        matchers.setId("silence-matchers");
        matchers.setText(String.join(", ", prefill.stream().map(Matcher::toString).toList()));
        matchers.setPrefColumnCount(48);
        matchers.setWrapText(true);
        matchers.setPrefRowCount(2);
        // one line of matchers: Enter and pasted line breaks become spaces (the matchers are split on "," and spaces)
        matchers.setTextFormatter(new javafx.scene.control.TextFormatter<String>(c -> {
            if (c.getText().contains("\n") || c.getText().contains("\r")) {
                c.setText(c.getText().replace("\r\n", " ").replace('\n', ' ').replace('\r', ' '));
            }
            return c;
        }));
        // the rows the matchers need, so no matcher hides below a scroll bar
        matchers.textProperty().addListener((o, a, t) -> fitMatchers());
        fitMatchers();
        ToggleGroup g = new ToggleGroup();
        for (RadioButton r : List.of(oneHour, fourHours, tomorrow, custom)) {
            r.setToggleGroup(g);
        }
        oneHour.setId("silence-1h");
        fourHours.setId("silence-4h");
        tomorrow.setId("silence-tomorrow");
        custom.setId("silence-custom");
        oneHour.setSelected(true);
        customText.setId("silence-custom-text");
        customText.setPromptText("e.g. 30m, 2h, 1d");
        customText.setPrefColumnCount(10);
        customText.disableProperty().bind(custom.selectedProperty().not());
        comment.setId("silence-comment");
        comment.setPromptText("Why, and what is being done (required)");
        comment.setPrefRowCount(3);
        comment.setWrapText(true);
        ends.setId("silence-ends");
        ends.getStyleClass().add("muted");
        problems.setId("silence-problems");
        problems.getStyleClass().add("form-problem");
        problems.setWrapText(true);

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, label("Matchers"), matchers);
        // the choices keep their whole text: never squeezed into "…", they wrap onto a second line when the dialog is narrow
        for (javafx.scene.control.Control c : List.of(oneHour, fourHours, tomorrow, custom, customText)) {
            c.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        }
        FlowPane durations = new FlowPane(12, 6, oneHour, fourHours, tomorrow, custom, customText);
        durations.setId("silence-durations");
        durations.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        durations.setPrefWrapLength(360);
        grid.addRow(1, label("Duration"), durations);
        grid.addRow(2, label(""), ends);
        grid.addRow(3, label("Comment"), comment);
        grid.addRow(4, label("Created by"), new Label(author));
        getDialogPane().setContent(new VBox(10, environment, grid, problems));

        Button ok = (Button) getDialogPane().lookupButton(SILENCE);
        ok.setId("silence-ok");
        Runnable validate = () -> {
            Result r = request();
            ok.setDisable(!r.problems.isEmpty());
            problems.setText(String.join("\n", r.problems));
            ends.setText(r.request == null || r.request.endsAt() == null ? "" : "ends " + ENDS.format(
                    r.request.endsAt().atZone(zone())) + " (in " + SilenceDurations.format(
                    Duration.between(r.request.startsAt(), r.request.endsAt())) + ")");
        };
        matchers.textProperty().addListener((o, a, b) -> validate.run());
        comment.textProperty().addListener((o, a, b) -> validate.run());
        customText.textProperty().addListener((o, a, b) -> validate.run());
        g.selectedToggleProperty().addListener((o, a, b) -> validate.run());
        validate.run();

        // send from the dialog: it closes on success, and shows Alertmanager's refusal otherwise
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            Result r = request();
            if (!r.problems.isEmpty()) {
                return;
            }
            ok.setDisable(true);
            problems.setText("sending…");
            send.apply(r.request).whenComplete((id, err) -> {
                if (err != null) {
                    problems.setText("Not silenced: " + Errors.describe(err));
                    ok.setDisable(false);
                } else {
                    setResult(id);
                    close();
                }
            });
        });
        setResultConverter(b -> null);
        comment.requestFocus();
    }

    /**
     * As many rows as the matchers take (2 to 6), from their length against the field's columns (a row is a little
     * shorter than its columns where it wraps at a space), so that before the dialog is first shown it is sized for them.
     */
    private void fitMatchers() {
        int perRow = Math.max(10, (int) (matchers.getPrefColumnCount() * 0.85));
        int rows = (int) Math.ceil(matchers.getText().length() / (double) perRow);
        matchers.setPrefRowCount(Math.max(2, Math.min(6, rows)));
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    private ZoneId zone() {
        return clock.getZone() == null ? ZoneId.systemDefault() : clock.getZone();
    }

    record Result(SilenceRequest request, List<String> problems) {}

    /** The request the fields describe, or what is wrong with them. */
    Result request() {
        List<String> out = new ArrayList<>();
        List<Matcher> ms = new ArrayList<>();
        try {
            AlertFilter f = AlertFilter.parse(matchers.getText());
            if (!f.words().isEmpty()) {
                out.add("not a matcher: " + String.join(" ", f.words()) + " (write name=\"value\")");
            }
            ms.addAll(f.matchers());
        } catch (IllegalArgumentException e) {
            out.add(e.getMessage());
        }
        Instant start = clock.instant();
        Instant end = null;
        try {
            end = endsAt(start).orElse(null);
        } catch (IllegalArgumentException e) {
            out.add(e.getMessage());
        }
        SilenceRequest r = new SilenceRequest(List.copyOf(ms), start, end, author, comment.getText().strip());
        if (out.isEmpty() || ms.size() > 0) {
            for (String p : r.problems()) {
                if (!(end == null && p.startsWith("the end"))) {
                    out.add(p);
                }
            }
        }
        return new Result(end == null ? null : r, out);
    }

    private Optional<Instant> endsAt(Instant start) {
        if (oneHour.isSelected()) {
            return Optional.of(start.plus(Duration.ofHours(1)));
        }
        if (fourHours.isSelected()) {
            return Optional.of(start.plus(Duration.ofHours(4)));
        }
        if (tomorrow.isSelected()) {
            return Optional.of(SilenceDurations.tomorrowAt(start, zone(), LocalTime.of(9, 0)));
        }
        if (customText.getText().isBlank()) {
            throw new IllegalArgumentException("type a duration (e.g. 30m, 2h, 1d)");
        }
        return Optional.of(start.plus(SilenceDurations.parse(customText.getText())));
    }

    /** For tests: the dialog's content. */
    Node content() {
        return getDialogPane().getContent();
    }
}
