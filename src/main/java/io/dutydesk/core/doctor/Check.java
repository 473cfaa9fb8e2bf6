package io.dutydesk.core.doctor;

import java.util.Locale;

/**
 * One check of {@code dutydesk doctor}: what was checked, its outcome, what was found and, for a problem, the fix.
 *
 * @param id     stable, e.g. {@code outbox.columns}, {@code command:deploy.commands.switch}
 * @param detail what was found (for an ok: a note, may be empty)
 * @param fix    what to change (empty for an ok without advice)
 */
public record Check(String id, String title, Status status, String detail, String fix) {
    public enum Status {
        OK, PROBLEM;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Check {
        detail = detail == null ? "" : detail;
        fix = fix == null ? "" : fix;
    }

    public static Check ok(String id, String title, String detail) {
        return new Check(id, title, Status.OK, detail, "");
    }

    /** An ok with advice (e.g. an index that would make the polls cheaper). */
    public static Check note(String id, String title, String detail, String advice) {
        return new Check(id, title, Status.OK, detail, advice);
    }

    public static Check problem(String id, String title, String detail, String fix) {
        return new Check(id, title, Status.PROBLEM, detail, fix);
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
