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
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.dutydesk");
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

    /** The process's own metrics: core and ui call the {@code core.telemetry} port; only its adapter knows Prometheus's client. */
    @Test
    void onlyTheTelemetryAdapterUsesThePrometheusClient() {
        noClasses().that().resideOutsideOfPackage("io.dutydesk.adapters.telemetry..") // the app wires the adapter only
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

    @Test
    void onlyFxThreadHopsOntoTheFxThread() {
        noClasses().that().doNotHaveFullyQualifiedName("io.dutydesk.ui.fx.FxThread")
                .should().callMethod(javafx.application.Platform.class, "runLater", Runnable.class)
                .check(classes);
    }
}
