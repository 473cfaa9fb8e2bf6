package io.dutydesk.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvironmentsFileTest {
    private static final Path F = Path.of("/etc/dutydesk/environments.yaml");

    private static final String MINIMAL = """
            environments:
              prod:
                ssh:
                  host: n8n-server
                  user: deploy
            """;

    @Test
    void minimalEnvironmentGetsTheRunbookDefaults() {
        Environment e = EnvironmentsFile.parse(F, MINIMAL).require("prod");
        assertEquals("n8n-server", e.ssh().host());
        assertEquals(0, e.ssh().port(), "port left to ~/.ssh/config, else 22");
        assertEquals("/var/run/docker.sock", e.docker().socket());
        assertEquals("selfology.event_outbox", e.outbox().table());
        assertEquals("pending", e.outbox().statuses().get("pending"));
        assertEquals("selfology-analysis-worker-green", e.slots().container("analysis-worker", "green"));
        assertEquals("./deployment/blue-green-deploy.sh deploy {version}", e.deploy().commands().get("deploy"));
        assertEquals(100, e.thresholds().outboxPendingWarn());
        assertEquals(1000, e.thresholds().outboxPendingCritical());
        assertEquals(300, e.thresholds().outboxOldestWarnSeconds());
        assertEquals(1800, e.thresholds().outboxOldestCriticalSeconds());
        assertEquals(List.of("full", "incremental", "pre-migration", "pre-deployment"),
                e.backups().kinds().stream().map(Environment.BackupKind::name).toList());
        assertEquals(30, e.backups().kinds().get(0).retentionDays());
        assertEquals(90, e.backups().kinds().get(3).retentionDays());
        assertEquals(Duration.ofSeconds(5), e.poll().interval());
        assertInstanceOf(SecretRef.Prompt.class, e.postgres().password(), "no password given: asked, never assumed");
    }

    @Test
    void aSisterProjectNeedsOnlyConfiguration() {
        // LifeOS: deploy.sh with other verbs, other container names, another outbox table
        Environment e = EnvironmentsFile.parse(F, """
                environments:
                  lifeos-prod:
                    ssh: { host: lifeos.example, port: 2222, user: ops, identity: /keys/ops }
                    deploy:
                      workdir: /opt/lifeos
                      commands:
                        status: ./deploy/scripts/deploy.sh status
                        deploy: ./deploy/scripts/deploy.sh deploy production {version}
                        rollback: ./deploy/scripts/deploy.sh rollback
                      versionPattern: '^[0-9a-f]{7,40}$'
                    slots:
                      names: [a, b]
                      services: [api, worker]
                      containerName: 'lifeos_{service}_{slot}'
                    outbox:
                      table: public.outbox_events
                      columns: { event_type: kind, created_at: inserted_at }
                      statuses: { published: sent }
                    postgres: { host: db, port: 5432, database: lifeos, user: lifeos, password: { env: LIFEOS_DB_PASSWORD } }
                    redis: { password: { keyring: lifeos-redis }, stream: 'lifeos:events' }
                    backups:
                      folders: [/home/tracehub/production/backups]
                      kinds:
                        daily: { pattern: 'daily_(\\d{8})\\.sql', timestampFormat: yyyyMMdd, retentionDays: 30 }
                """).require("lifeos-prod");
        assertEquals("lifeos_api_b", e.slots().container("api", "b"));
        assertEquals("./deploy/scripts/deploy.sh rollback", e.deploy().commands().get("rollback"));
        assertEquals("./deployment/blue-green-deploy.sh switch", e.deploy().commands().get("switch"), "unset verbs keep the default");
        assertTrue(e.deploy().versionPattern().matcher("3f9c2ab").matches());
        assertEquals("kind", e.outbox().columns().get("event_type"));
        assertEquals("sent", e.outbox().statuses().get("published"));
        assertEquals(new SecretRef.Env("LIFEOS_DB_PASSWORD"), e.postgres().password());
        assertEquals(new SecretRef.Keyring("lifeos-redis"), e.redis().password());
        assertEquals("daily", e.backups().kinds().get(0).name());
    }

    @Test
    void theOldestPendingThresholdsAreCheckedLikeTheCounts() {
        Environment e = EnvironmentsFile.parse(F, MINIMAL + """
                    thresholds:
                      outboxOldestWarnSeconds: 60
                      outboxOldestCriticalSeconds: 600
                """).require("prod");
        assertEquals(60, e.thresholds().outboxOldestWarnSeconds());
        assertEquals(600, e.thresholds().outboxOldestCriticalSeconds());
        ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, MINIMAL + """
                    thresholds:
                      outboxOldestWarnSeconds: 600
                      outboxOldestCriticalSeconds: 60
                """));
        assertEquals("environments.prod.thresholds.outboxOldestCriticalSeconds", ex.field());
        assertEquals(8, ex.line());
        assertTrue(ex.getMessage().contains("must not be below outboxOldestWarnSeconds (600)"), ex.getMessage());
    }

    @Test
    void backupJobsHaveTheirOwnBoundsNoneByDefault() {
        Environment d = EnvironmentsFile.parse(F, MINIMAL + """
                    deploy: { actionTimeoutSeconds: 10 }
                """).require("prod");
        assertEquals(java.time.Duration.ofSeconds(10), d.deploy().actionTimeout());
        assertEquals(java.util.Optional.empty(), d.backups().restoreTimeout(), "the deploy's bound is not a restore's");
        assertEquals(java.util.Optional.empty(), d.backups().backupTimeout());
        Environment e = EnvironmentsFile.parse(F, MINIMAL + """
                    backups:
                      restoreTimeoutSeconds: 7200
                      backupTimeoutSeconds: 0
                """).require("prod");
        assertEquals(java.util.Optional.of(java.time.Duration.ofHours(2)), e.backups().restoreTimeout());
        assertEquals(java.util.Optional.empty(), e.backups().backupTimeout(), "0 is none");
        ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, MINIMAL + """
                    backups:
                      restoreTimeoutSeconds: 5
                """));
        assertEquals("environments.prod.backups.restoreTimeoutSeconds", ex.field());
        assertTrue(ex.getMessage().contains("0 (no bound) or at least 10 seconds"), ex.getMessage());
    }

    @Test
    void anUnknownFieldNamesFileLineAndFieldAndSuggests() {
        ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh:
                      host: n8n-server
                      prot: 22
                """));
        assertEquals(5, ex.line());
        assertEquals("environments.prod.ssh.prot", ex.field());
        assertTrue(ex.getMessage().startsWith("/etc/dutydesk/environments.yaml:5: environments.prod.ssh.prot: unknown field"),
                ex.getMessage());
        assertTrue(ex.getMessage().contains("did you mean 'port'?"), ex.getMessage());
    }

    @Test
    void aBadPortIsRefusedWithItsLine() {
        ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh: { host: h }
                    postgres:
                      port: fivefourthreetwo
                """));
        assertEquals(5, ex.line());
        assertEquals("environments.prod.postgres.port", ex.field());
        assertTrue(ex.problem().contains("expected a whole number, got 'fivefourthreetwo'"));
    }

    @Test
    void aPlaintextPasswordIsRefused() {
        ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh: { host: h }
                    redis:
                      password: hunter2
                """));
        assertEquals(5, ex.line());
        assertEquals("environments.prod.redis.password", ex.field());
        assertTrue(ex.problem().startsWith("secrets are never written in this file"));
        assertFalse(ex.getMessage().contains("hunter2"), "the error must not repeat the secret");
    }

    @Test
    void missingRequiredFieldIsNamed() {
        ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh:
                      user: deploy
                """));
        assertEquals("environments.prod.ssh.host", ex.field());
        assertEquals(4, ex.line());
    }

    @Test
    void brokenYamlGivesItsLine() {
        ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh: { host: h
                    docker: {}
                """));
        assertTrue(ex.line() >= 3, "line " + ex.line());
        assertTrue(ex.problem().startsWith("not valid YAML"), ex.problem());
    }

    @Test
    void badRegexAndTemplatesAreRefused() {
        ConfigException noVersion = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh: { host: h }
                    deploy:
                      commands:
                        deploy: ./deploy.sh deploy
                """));
        assertEquals("environments.prod.deploy.commands.deploy", noVersion.field());
        assertTrue(noVersion.problem().contains("{version}"));

        ConfigException badRegex = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  prod:
                    ssh: { host: h }
                    deploy:
                      versionPattern: '^v(['
                """));
        assertEquals(5, badRegex.line());
        assertTrue(badRegex.problem().startsWith("not a valid regular expression"));
    }

    @Test
    void missingFileSaysHowToGetOne(@TempDir Path dir) {
        ConfigException ex = assertThrows(ConfigException.class, () -> EnvironmentsFile.load(dir.resolve("none.yaml")));
        assertTrue(ex.problem().contains("file not found"));
    }

    @Test
    void loadsAFileAndListsEnvironmentsInOrder(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("envs.yaml");
        Files.writeString(f, MINIMAL + """
                  staging:
                    ssh: { host: staging, jump: { host: bastion, user: me } }
                """);
        EnvironmentsFile file = EnvironmentsFile.load(f);
        assertEquals(List.of("prod", "staging"), List.copyOf(file.environments().keySet()));
        assertEquals("bastion", file.require("staging").ssh().jump().orElseThrow().host());
        ConfigException ex = assertThrows(ConfigException.class, () -> file.require("qa"));
        assertEquals("unknown environment 'qa'; known: prod, staging (in " + f.toAbsolutePath() + ")", ex.getMessage());
    }

    @Test
    void defaultLocationFollowsXdg() {
        assertEquals(Path.of("/x/dutydesk/environments.yaml"),
                EnvironmentsFile.defaultLocation(k -> k.equals("XDG_CONFIG_HOME") ? "/x" : null));
        assertEquals(Path.of("/y.yaml"), EnvironmentsFile.defaultLocation(k -> k.equals("DUTYDESK_CONFIG") ? "/y.yaml" : null));
    }

    @Test
    void anotherTeamsOutboxIsConfigurationOnly() {
        Environment e = EnvironmentsFile.parse(F, """
                environments:
                  other:
                    ssh: { host: other.example }
                    outbox:
                      table: public.outbox_events
                      columns: { status: state, created_at: inserted_at }
                      statuses: { pending: NEW, processing: SENDING, published: SENT, failed: DEAD }
                      pollSeconds: 30
                      prometheusQuery: ''
                      relayService: relay
                    postgres: { password: { file: ~/app/.env.production, key: DB_PASSWORD } }
                    redis: { password: { file: /srv/app/.env.production, key: REDIS_PASSWORD }, stream: 'x:events', groups: [a] }
                """).require("other");
        assertEquals("state", e.outbox().columns().get("status"));
        assertEquals("inserted_at", e.outbox().columns().get("created_at"));
        assertEquals("DEAD", e.outbox().statuses().get("failed"));
        assertEquals(Duration.ofSeconds(30), e.outbox().pollInterval());
        assertEquals("", e.outbox().prometheusQuery(), "no backlog metric in that Prometheus");
        assertEquals("relay", e.outbox().relayService());
        assertEquals(new SecretRef.DotenvKey("~/app/.env.production", "DB_PASSWORD"), e.postgres().password());
        assertEquals(new SecretRef.DotenvKey("/srv/app/.env.production", "REDIS_PASSWORD"), e.redis().password());
        Environment d = EnvironmentsFile.parse(F, "environments: { d: { ssh: { host: h } } }").require("d");
        assertEquals(Duration.ofSeconds(10), d.outbox().pollInterval());
        assertEquals("max(outbox_pending_events)", d.outbox().prometheusQuery());
    }

    @Test
    void aDotenvKeyNeedsItsFileAndAPlainName() {
        ConfigException noFile = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  p:
                    ssh: { host: h }
                    postgres: { password: { key: DB_PASSWORD } }
                """));
        assertTrue(noFile.getMessage().contains("environments.p.postgres.password.key"), noFile.getMessage());
        assertTrue(noFile.getMessage().contains("give it with 'file'"), noFile.getMessage());
        ConfigException badName = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  p:
                    ssh: { host: h }
                    postgres: { password: { file: /a/.env, key: 'DB PASSWORD' } }
                """));
        assertTrue(badName.getMessage().contains("not a dotenv variable name"), badName.getMessage());
        ConfigException dup = assertThrows(ConfigException.class, () -> EnvironmentsFile.parse(F, """
                environments:
                  p:
                    ssh: { host: h }
                    outbox: { statuses: { pending: X, failed: X } }
                """));
        assertTrue(dup.getMessage().contains("same value"), dup.getMessage());
    }
}
