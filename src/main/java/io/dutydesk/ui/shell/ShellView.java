package io.dutydesk.ui.shell;

import io.dutydesk.core.health.BackendStatus;
import io.dutydesk.ui.fx.Icon;
import io.dutydesk.ui.fx.PaneSpec;
import io.dutydesk.ui.fx.Theme;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.List;

/** The window's frame: top bar, pane navigation, pane area, status bar. Thin: state lives in the view-model. */
public final class ShellView {
    private final ShellViewModel vm;
    private final BorderPane root = new BorderPane();
    private final ListView<PaneSpec> nav = new ListView<>();
    /**
     * The pane area: every pane once built, the one shown visible ({@link #showNode}). A screen reader is handed that one
     * only: the hidden panes stay in the scene, and Parent hands them all to the platform's accessibility (only some
     * platforms' glue leaves out a child that is not visible), where they had been out of the scene before.
     */
    private final StackPane content = new StackPane() {
        @Override
        public Object queryAccessibleAttribute(javafx.scene.AccessibleAttribute attribute, Object... parameters) {
            if (attribute == javafx.scene.AccessibleAttribute.CHILDREN) {
                return javafx.collections.FXCollections.observableArrayList(getChildren().filtered(Node::isVisible));
            }
            return super.queryAccessibleAttribute(attribute, parameters);
        }
    };
    /** The placeholders of panes without a view, once shown (kept in {@link #content} as the built panes are). */
    private final java.util.Map<String, Node> placeholders = new java.util.HashMap<>();
    /** The toasts' layer: over the pane area only, so a toast is never over the header (the top bar). */
    private final io.dutydesk.ui.notify.Toasts toasts = new io.dutydesk.ui.notify.Toasts();
    /** Below this width the navigation shows icons only. */
    static final double COMPACT_BELOW = 1100;
    /** The widest a badge under an icon may be: the icons-only column (50 px) less its border and its cells' padding. */
    static final double COMPACT_BADGE_MAX = 46;
    /** Below this width a maintenance lock in the header takes the place of the app's name. */
    static final double NAME_WITH_LOCK_FROM = 1180;
    private static final javafx.css.PseudoClass COMPACT = javafx.css.PseudoClass.getPseudoClass("compact");
    private final javafx.beans.property.BooleanProperty compactNav = new javafx.beans.property.SimpleBooleanProperty();
    /** pane id → its worst state, next to its title in the navigation (empty until the app sets them). */
    private javafx.collections.ObservableMap<String, io.dutydesk.ui.fx.NavBadge> badges = javafx.collections.FXCollections.observableHashMap();
    /** The header's second statement, "production healthy" or not, next to "backends reachable" (hidden until set). */
    private final Label production = new Label();

    /** The panes are the view-model's: each is built the first time it is shown (a spec without a view shows what it will be). */
    public ShellView(ShellViewModel vm) {
        this.vm = vm;
        root.getStyleClass().add("shell");
        root.setTop(topBar());
        root.setLeft(navigation());
        root.setCenter(new StackPane(content, toasts.node()));
        root.setBottom(statusBar());
        nav.getSelectionModel().selectFirst();
        // the theme follows the view-model's dark flag once the view is in a scene
        root.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null) {
                Theme.apply(scene, vm.darkProperty().get());
            }
        });
        vm.darkProperty().addListener((o, a, dark) -> {
            if (root.getScene() != null) {
                Theme.apply(root.getScene(), dark);
            }
        });
    }

    public Parent root() {
        return root;
    }

    /** Where the notifier shows its toasts ({@link io.dutydesk.ui.notify.Notifier#showIn}). */
    public io.dutydesk.ui.notify.Toasts toasts() {
        return toasts;
    }

    /** The navigation's badges: each pane's worst state (pane id → badge), kept up to date by the map's owner. */
    public void badges(javafx.collections.ObservableMap<String, io.dutydesk.ui.fx.NavBadge> map) {
        this.badges = map;
        map.addListener((javafx.collections.MapChangeListener<String, io.dutydesk.ui.fx.NavBadge>) c -> nav.refresh());
        nav.refresh();
    }

    /**
     * The header's "production healthy" statement (text and its state: pass, warn, fail, unknown), apart from the
     * backends' reachability: a reachable backend says nothing about the outbox's age or a firing alert.
     */
    public void production(javafx.beans.value.ObservableStringValue text, javafx.beans.value.ObservableStringValue state) {
        production(text, state, text);
    }

    /** As above; {@code detail}: the tooltip (every pane not passing, the run it comes from). */
    public void production(javafx.beans.value.ObservableStringValue text, javafx.beans.value.ObservableStringValue state,
                           javafx.beans.value.ObservableStringValue detail) {
        production.textProperty().bind(text);
        io.dutydesk.ui.fx.LazyTooltip.install(production, javafx.beans.binding.Bindings.concat(text, "\n", detail));
        java.util.function.Consumer<String> style = s -> {
            io.dutydesk.ui.fx.StyleClasses.set(production, List.of("pass", "warn", "fail", "unknown")::contains, List.of(s == null ? "unknown" : s));
        };
        state.addListener((o, a, b) -> style.accept(b));
        style.accept(state.get());
        production.setVisible(true);
        production.setManaged(true);
    }

    /** Shows pane {@code id} of the navigation. */
    public void showPane(String id) {
        showPane(nav.getItems().stream().map(PaneSpec::id).toList().indexOf(id));
    }

    /**
     * {@code key} shows pane {@code id} first, wherever the focus is, then does what the scene's accelerators say it
     * does: the Slots pane's Ctrl+Shift+R (its view puts the key on the scene) asks about the rollback over the Slots
     * pane, whose action log then shows it run, not over whichever pane the key was pressed on. Only where
     * {@code applies} says the key does something: on an environment of one stack Ctrl+Shift+R asks nothing, and it had
     * still taken the user off the pane it was pressed on (the window trial: from Outbox to the stack's Slots pane).
     */
    public void showFirstOn(javafx.scene.input.KeyCombination key, String id, java.util.function.BooleanSupplier applies) {
        javafx.event.EventHandler<javafx.scene.input.KeyEvent> filter = e -> {
            if (key.match(e) && applies.getAsBoolean()) {
                showPane(id); // in the capturing phase: the accelerators run after it, in the bubbling one
            }
        };
        root.sceneProperty().addListener((o, a, b) -> {
            if (a != null) {
                a.removeEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, filter);
            }
            if (b != null) {
                b.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, filter);
            }
        });
        if (root.getScene() != null) {
            root.getScene().addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, filter);
        }
    }

    /** Shows pane {@code index} (0-based) of the navigation. */
    public void showPane(int index) {
        if (index >= 0 && index < nav.getItems().size()) {
            nav.getSelectionModel().select(index);
        }
    }

    private Node topBar() {
        ImageView logo = new ImageView(Icon.appIcon(32)); // one PNG: the header's logo, not the window's four sizes
        logo.setFitWidth(22);
        logo.setFitHeight(22);
        Label title = new Label("Dutydesk");
        title.getStyleClass().add("app-title");

        ComboBox<String> env = new ComboBox<>(vm.environmentNames());
        env.setId("environment-picker");
        env.setPromptText("environment");
        env.valueProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.select(b);
            }
        });
        vm.selectedProperty().addListener((o, a, b) -> env.setValue(b));
        env.setValue(vm.selectedProperty().get());
        // the environment's name is what must never go: the picker keeps its width, others give way
        env.setMinWidth(Region.USE_PREF_SIZE);
        title.setMinWidth(Region.USE_PREF_SIZE);

        // the environment's menu: what can be done about the selected environment itself
        javafx.scene.control.MenuItem check = new javafx.scene.control.MenuItem("Check configuration…");
        check.setId("check-configuration");
        check.setOnAction(e -> checkConfiguration());
        check.disableProperty().bind(vm.selectedProperty().isNull());
        javafx.scene.control.MenuButton envMenu = new javafx.scene.control.MenuButton("⋯", null, check);
        envMenu.setId("environment-menu");
        io.dutydesk.ui.fx.LazyTooltip.install(envMenu, "Environment: check its configuration against the server");
        envMenu.getStyleClass().add("flat");
        envMenu.setMinWidth(Region.USE_PREF_SIZE);

        Label target = new Label();
        target.getStyleClass().add("env-target");
        target.textProperty().bind(vm.targetProperty());
        target.setMinWidth(40);
        io.dutydesk.ui.fx.LazyTooltip.install(target, vm.targetProperty());

        Label summary = new Label() {
            // "all 6 backends ok (1 not configured)" whole (the host line gives way first: the trial saw
            // "all 6 backends ok (1 not co…" at 1400 px); a long "7 down: ssh, docker, …" may still shrink
            // to 260 px: the status bar names each one
            @Override
            protected double computeMinWidth(double height) {
                return vm.summaryStateProperty().get() == io.dutydesk.core.health.BackendStatus.State.OK
                        ? computePrefWidth(height) : Math.min(260, computePrefWidth(height));
            }
        };
        summary.setId("health-summary");
        summary.getStyleClass().add("env-summary");
        summary.textProperty().bind(vm.summaryProperty());
        io.dutydesk.ui.fx.LazyTooltip.install(summary, vm.summaryProperty());
        vm.summaryStateProperty().addListener((o, a, b) -> stateClass(summary, b));
        stateClass(summary, vm.summaryStateProperty().get());

        Button refresh = new Button(null, icon(Icon.REFRESH, 16));
        refresh.setId("refresh");
        io.dutydesk.ui.fx.LazyTooltip.install(refresh, "Check every backend now (Ctrl+R)");
        refresh.setOnAction(e -> vm.refresh());
        refresh.getStyleClass().add("flat");

        ToggleButton theme = new ToggleButton(null, icon(Icon.THEME, 16));
        theme.setId("theme-toggle");
        io.dutydesk.ui.fx.LazyTooltip.install(theme, "Dark mode (Ctrl+T)");
        theme.selectedProperty().bindBidirectional(vm.darkProperty());
        theme.getStyleClass().add("flat");

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        refresh.setMinWidth(Region.USE_PREF_SIZE);
        theme.setMinWidth(Region.USE_PREF_SIZE);
        production.setId("production-summary");
        production.getStyleClass().addAll("prod-summary", "unknown");
        production.setMinWidth(Region.USE_PREF_SIZE); // the host line gives way first (then the name, then this: TopBar)
        production.setVisible(false);
        production.setManaged(false);
        // the selected environment's maintenance lock, whichever pane is shown (every action on it is refused while held)
        Label lock = new Label() {
            // "LOCKED by alice@ws since 09:12: …" stays readable (the host line gives way first); a long message is cut,
            // its tooltip has it whole
            @Override
            protected double computeMinWidth(double height) {
                String t = getText() == null ? "" : getText();
                int cut = t.startsWith("LOCKED") ? t.indexOf(": ") : -1;
                if (cut < 0) {
                    return computePrefWidth(height);
                }
                // who and since when whole; the message may give way ("…", whole in the tooltip)
                javafx.scene.text.Text head = new javafx.scene.text.Text(t.substring(0, cut + 1) + " …");
                head.setFont(getFont());
                return Math.min(Math.min(computePrefWidth(height), 300), Math.ceil(head.getLayoutBounds().getWidth()) + snappedLeftInset()
                        + snappedRightInset() + 2);
            }
        };
        lock.setId("header-lock");
        lock.getStyleClass().addAll("prod-summary", "warn");
        javafx.beans.property.StringProperty lockTip = new javafx.beans.property.SimpleStringProperty("");
        io.dutydesk.ui.fx.LazyTooltip.install(lock, lockTip, t -> {
            t.setWrapText(true);
            t.setMaxWidth(520);
        });
        Runnable showLock = () -> {
            io.dutydesk.ui.fx.HeaderNote n = vm.headerNoteProperty().get();
            boolean on = n != null && n.shown();
            lock.setText(on ? n.text() : "");
            lockTip.set(on ? n.text() + "\n" + n.detail() : "");
            io.dutydesk.ui.fx.StyleClasses.set(lock, List.of("pass", "warn", "fail", "unknown")::contains, List.of(on ? n.state() : "unknown"));
            lock.setVisible(on);
            lock.setManaged(on);
        };
        vm.headerNoteProperty().addListener((o, a, b) -> showLock.run());
        showLock.run();
        TopBar bar = new TopBar(title, lock, production, logo, title, env, envMenu, target, lock, spacer, summary, production, refresh, theme);
        bar.getStyleClass().add("top-bar");
        return bar;
    }

    /** The narrowest the check's statement is cut to ("ref: outbox f…", whole in its tooltip) when nothing else can give way. */
    static final double PRODUCTION_FLOOR = 160;

    /**
     * The header: never wider than the window. What gives way, in order: the host line (down to 40 px, by its own minimum),
     * the app's name (the logo and the window's title say it; below {@link #NAME_WITH_LOCK_FROM} a maintenance lock takes
     * its place), then the check's statement (down to {@link #PRODUCTION_FLOOR}, "…"); the environment's picker, the
     * backends' statement (its own minimum), the lock's holder and the buttons never. It was an HBox of those parts at
     * their minimum widths: with both statements (ref-single's "all 6 backends ok (1 not configured)" and "ref-single: warn
     * (checks 03:14)") that minimum was 1067 px, and the window — laid out at its content's minimum — cut every pane, the
     * status bar and the header's right end at 1024 px.
     */
    static final class TopBar extends HBox {
        private final Label title;
        private final Label lock;
        private final Label production;

        TopBar(Label title, Label lock, Label production, Node... children) {
            super(children);
            this.title = title;
            this.lock = lock;
            this.production = production;
        }

        /** The width the bar needs with the title or not and the check's statement {@code productionWidth} wide. */
        private double need(boolean withTitle, double productionWidth) {
            double sum = snappedLeftInset() + snappedRightInset();
            int n = 0;
            for (Node c : getChildren()) {
                if (c == title ? !withTitle : c != production && !c.isManaged() || c == production && !production.isVisible()) {
                    continue;
                }
                sum += c == production ? productionWidth : c == title ? title.prefWidth(-1) : c.minWidth(-1);
                n++;
            }
            return sum + snapSpaceX(getSpacing()) * Math.max(0, n - 1);
        }

        private double productionFloor() {
            return Math.min(PRODUCTION_FLOOR, production.prefWidth(-1));
        }

        @Override
        protected double computeMinWidth(double height) {
            return need(false, productionFloor());
        }

        @Override
        protected void layoutChildren() {
            double w = getWidth();
            double prodPref = production.prefWidth(-1);
            // a narrow window with the lock shown gives the app's name to the lock; any window too narrow for it, too
            boolean showTitle = (!lock.isVisible() || w >= NAME_WITH_LOCK_FROM) && w >= need(true, prodPref);
            if (title.isManaged() != showTitle) {
                title.setManaged(showTitle);
                title.setVisible(showTitle);
            }
            if (production.isVisible()) {
                double room = w - need(showTitle, 0);
                double min = room >= prodPref ? prodPref : Math.max(productionFloor(), Math.floor(room));
                if (production.getMinWidth() != min) {
                    production.setMinWidth(min); // whole when there is room; else what is left, "…"
                }
            }
            super.layoutChildren();
        }
    }

    private io.dutydesk.ui.doctor.DoctorDialog doctorDialog;

    /** Opens (or brings forward) the "Check configuration…" window and runs the checks of the selected environment. */
    void checkConfiguration() {
        vm.checkConfiguration();
        if (doctorDialog == null || !doctorDialog.showing()) {
            doctorDialog = new io.dutydesk.ui.doctor.DoctorDialog(root.getScene() == null ? null : root.getScene().getWindow(),
                    vm.doctor(), String.valueOf(vm.selectedProperty().get()), vm::checkConfiguration);
        }
        doctorDialog.show(String.valueOf(vm.selectedProperty().get()));
    }

    private Node navigation() {
        nav.getItems().setAll(vm.panes());
        nav.getStyleClass().add("nav");
        nav.setId("navigation");
        nav.setCellFactory(lv -> new ListCell<>() {
            {
                // a narrow window keeps the icons only (the title on hover): the panes get the width
                compactNav.addListener((o, a, c) -> updateItem(getItem(), isEmpty()));
            }

            @Override
            protected void updateItem(PaneSpec p, boolean empty) {
                super.updateItem(p, empty);
                if (empty || p == null) {
                    setText(null);
                    setGraphic(null);
                    setTooltip(null);
                } else {
                    setText(compactNav.get() ? null : p.title());
                    io.dutydesk.ui.fx.NavBadge b = badges.get(p.id());
                    Node graphic = icon(p.icon(), 18);
                    if (b != null) {
                        // the state in words ("ok", "down", "2 crit", "?") as well as in colour, at every width: icons
                        // only, the badge goes under the icon (a tint alone said it by colour only)
                        Label badge = new Label(b.text());
                        badge.setId("badge-" + p.id());
                        badge.getStyleClass().addAll("nav-badge", b.state());
                        badge.setMinWidth(Region.USE_PREF_SIZE); // whole, never "…"
                        if (compactNav.get()) {
                            badge.getStyleClass().add("compact");
                            // never wider than the column (no scroll bar under it): a word too long for it ends in "…",
                            // whole in the tooltip and the accessible text
                            badge.setMinWidth(0);
                            badge.setMaxWidth(COMPACT_BADGE_MAX);
                            VBox under = new VBox(2, graphic, badge);
                            under.setAlignment(javafx.geometry.Pos.CENTER);
                            under.setFillWidth(false); // the badge as wide as its words, under the icon's middle
                            graphic = under;
                        } else {
                            graphic = new HBox(4, graphic, badge);
                            ((HBox) graphic).setAlignment(javafx.geometry.Pos.CENTER_LEFT);
                        }
                    }
                    setGraphic(graphic);
                    setGraphicTextGap(10);
                    String tip = b == null ? p.title() : p.title() + ": " + b.tooltip();
                    setTooltip(compactNav.get() || b != null ? new Tooltip(tip) : null);
                    // a screen reader hears the state too, not a colour
                    setAccessibleText(b == null ? p.title() : p.title() + ", " + stateWord(b.state()) + ": " + b.text());
                }
            }
        });
        compactNav.bind(root.widthProperty().lessThan(COMPACT_BELOW).and(root.widthProperty().greaterThan(0)));
        compactNav.addListener((o, a, c) -> nav.pseudoClassStateChanged(COMPACT, c));
        nav.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> {
            if (p != null) {
                // shown: polls and reads now; the pane left is hidden and polls nothing of its own
                io.dutydesk.ui.fx.Pane pane = vm.show(p.id());
                showNode(p.view() == null ? placeholders.computeIfAbsent(p.id(), id -> placeholder(p)) : pane.node());
            }
        });
        return nav;
    }

    /**
     * Puts {@code shown} on the screen: a pane once built stays in the scene, hidden (invisible and unmanaged) while
     * another is shown. Taking it out of the scene and back cost each showing CSS applied again to all its nodes and
     * its tables' cells made anew: 40-150 ms of the FX thread, the longest pulse gaps of StallBenchmark (P7). A hidden
     * pane is neither drawn, picked, sized by the pane area nor focused (its mnemonics and tab order skip it: not
     * tree-visible), a screen reader is not handed it ({@link #content}), and it polls nothing of its own ({@link io.dutydesk.ui.fx.Pane#hidden()}).
     */
    private void showNode(Node shown) {
        if (!content.getChildren().contains(shown)) {
            content.getChildren().add(shown);
        }
        Node focused = content.getScene() == null ? null : content.getScene().getFocusOwner();
        Node left = paneHolding(focused);
        for (Node n : content.getChildren()) {
            boolean on = n == shown;
            n.setVisible(on);
            n.setManaged(on);
        }
        if (left != null && left != shown) {
            // the keyboard leaves the hidden pane now, for the navigation (the panes' list: Up/Down, Tab into the pane).
            // Left to JavaFX, the focus stays on the hidden node until the next pulse — the typed digit of Ctrl+2 reached
            // the hidden PromQL editor, whose completion list then stood over the other pane — and then goes to the next
            // focusable node after it in the scene, in whichever pane follows: from the Slots pane's version field to the
            // Outbox pane's "Restart relay…", which Enter pressed
            nav.requestFocus();
        }
        content.notifyAccessibleAttributeChanged(javafx.scene.AccessibleAttribute.CHILDREN); // read again: another pane
    }

    /** The pane (a child of the pane area) that holds {@code n}, or null when {@code n} is in none. */
    private Node paneHolding(Node n) {
        for (Node c = n; c != null; c = c.getParent()) {
            if (c.getParent() == content) {
                return c;
            }
        }
        return null;
    }

    /** A badge's state in words, for a screen reader: "passing", "warning", "failing", "unknown". */
    static String stateWord(String state) {
        return switch (state) {
            case "pass" -> "passing";
            case "warn" -> "warning";
            case "fail" -> "failing";
            default -> "unknown";
        };
    }

    private static Node placeholder(PaneSpec p) {
        Label title = new Label(p.title());
        title.getStyleClass().add("placeholder-title");
        Label text = new Label(p.purpose());
        text.getStyleClass().add("placeholder-text");
        text.setMaxWidth(460);
        Label status = new Label("Not built yet.");
        status.getStyleClass().add("placeholder-text");
        VBox box = new VBox(icon(p.icon(), 48), title, text, status);
        box.getStyleClass().add("placeholder");
        box.setId("pane-" + p.id());
        return box;
    }

    /** One line at every width: it groups the backends by state rather than wrap ({@link StatusBar}). */
    private Node statusBar() {
        return new StatusBar(vm);
    }

    static void stateClass(Node n, BackendStatus.State s) {
        io.dutydesk.ui.fx.StyleClasses.set(n, List.of("ok", "down", "unknown", "misconfigured", "not_configured")::contains, List.of(s.name().toLowerCase(java.util.Locale.ROOT)));
    }

    /** An icon in a fixed-size box, so scaled paths keep the layout steady. */
    static Node icon(Icon i, double size) {
        StackPane box = new StackPane(new Group(i.node(size)));
        box.setMinSize(size, size);
        box.setPrefSize(size, size);
        box.setMaxSize(size, size);
        return box;
    }
}
