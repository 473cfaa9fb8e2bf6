package io.dutydesk.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layers of ARCHITECTURE.md, enforced. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        // the build's own classes folder, not a scan of every jar on the class path for io.dutydesk (17.5 s -> 7.5 s)
        java.nio.file.Path main = java.nio.file.Path.of(System.getProperty("dutydesk.classes", "target/classes"));
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPath(main);
        org.junit.jupiter.api.Assertions.assertTrue(classes.contain("io.dutydesk.app.Main") && classes.contain("io.dutydesk.core.ports.EnvironmentHandle"),
                "the application's classes imported from " + main.toAbsolutePath());
    }

    @Test
    void noJavafxOutsideUiAndApp() {
        ArchRule r = noClasses().that().resideInAnyPackage("io.dutydesk.core..", "io.dutydesk.adapters..", "io.dutydesk.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "atlantafx..", "org.controlsfx..");
        r.check(classes);
    }

    @Test
    void coreDependsOnNoOuterLayer() {
        noClasses().that().resideInAPackage("io.dutydesk.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dutydesk.adapters..", "io.dutydesk.ui..",
                        "io.dutydesk.cli..", "io.dutydesk.app..", "com.jcraft..", "com.github.dockerjava..",
                        "redis.clients..", "org.postgresql..", "io.prometheus..")
                .check(classes);
    }

    /**
     * Prometheus's Java client: the process's own metrics (core and ui call the {@code core.telemetry} port) and the
     * morning check's push to a Pushgateway (the {@code CheckPush} port) are the only users.
     */
    @Test
    void onlyTheTelemetryAndPushgatewayAdaptersUseThePrometheusClient() {
        noClasses().that().resideOutsideOfPackages("io.dutydesk.adapters.telemetry..", "io.dutydesk.adapters.prometheus..")
                .should().dependOnClassesThat().resideInAnyPackage("io.prometheus..")
                .check(classes);
    }

    @Test
    void uiReachesBackendsOnlyThroughCorePorts() {
        noClasses().that().resideInAPackage("io.dutydesk.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dutydesk.adapters..", "io.dutydesk.cli..",
                        "io.dutydesk.app..", "com.jcraft..", "com.github.dockerjava..", "redis.clients..",
                        "org.postgresql..", "java.sql..", "java.net.http..", "io.prometheus..")
                .check(classes);
    }

    @Test
    void adaptersNeverImportUiOrCli() {
        noClasses().that().resideInAPackage("io.dutydesk.adapters..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dutydesk.ui..", "io.dutydesk.cli..", "io.dutydesk.app..")
                .check(classes);
    }

    @Test
    void cliDoesNotUseAdaptersDirectly() {
        noClasses().that().resideInAPackage("io.dutydesk.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dutydesk.adapters..", "io.dutydesk.ui..")
                .check(classes);
    }

    @Test
    void adapterPackagesDoNotDependOnEachOther() {
        for (String a : new String[] {"ssh", "docker", "postgres", "redis", "prometheus", "alertmanager", "backups", "keyring", "audit", "telemetry"}) {
            noClasses().that().resideInAPackage("io.dutydesk.adapters." + a + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others(a))
                    .check(classes);
        }
    }

    private static String[] others(String self) {
        return java.util.stream.Stream.of("ssh", "docker", "postgres", "redis", "prometheus", "alertmanager", "backups", "keyring", "audit", "telemetry")
                .filter(s -> !s.equals(self)).map(s -> "io.dutydesk.adapters." + s + "..").toArray(String[]::new);
    }

    /** The panes: each reaches only the shared ui (fx, chart, notify), core and the JDK/JavaFX — never another pane, nor the shell. */
    static final String[] PANES = {"slots", "outbox", "alerts", "backups", "metrics"};

    @Test
    void uiPanePackagesDoNotDependOnEachOther() {
        for (String pane : PANES) {
            noClasses().that().resideInAPackage("io.dutydesk.ui." + pane + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(otherUi(pane))
                    .because("a pane depends only on ui.fx, ui.chart, ui.notify and core: shared pieces move to ui.fx")
                    .check(classes);
        }
    }

    /** Every ui package but {@code self} and the shared ones. */
    static String[] otherUi(String self) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(PANES), java.util.stream.Stream.of("shell", "doctor"))
                .filter(s -> !s.equals(self)).map(s -> "io.dutydesk.ui." + s + "..").toArray(String[]::new);
    }

    /** The shared ui knows no pane and no shell: the contract is theirs to implement. */
    @Test
    void sharedUiDependsOnNoPaneNorShell() {
        noClasses().that().resideInAnyPackage("io.dutydesk.ui.fx..", "io.dutydesk.ui.chart..", "io.dutydesk.ui.notify..")
                .should().dependOnClassesThat().resideInAnyPackage(otherUi(""))
                .check(classes);
    }

    /** The shell knows the panes by their specs only: the app wires them. */
    @Test
    void theShellDependsOnNoPane() {
        noClasses().that().resideInAPackage("io.dutydesk.ui.shell..")
                .should().dependOnClassesThat().resideInAnyPackage(java.util.Arrays.stream(PANES)
                        .map(s -> "io.dutydesk.ui." + s + "..").toArray(String[]::new))
                .check(classes);
    }

    @Test
    void onlyFxThreadHopsOntoTheFxThread() {
        noClasses().that().doNotHaveFullyQualifiedName("io.dutydesk.ui.fx.FxThread")
                .should().callMethod(javafx.application.Platform.class, "runLater", Runnable.class)
                .check(classes);
    }
}
