package io.dutydesk.core.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A silence to create: the acknowledgement of an alert. {@link #problems()} says what is wrong before anything is sent. */
public record SilenceRequest(List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {

    /** What keeps this request from being sent, in the user's words; empty when it can go. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (matchers.isEmpty()) {
            out.add("at least one matcher is needed");
        } else if (matchers.stream().noneMatch(Matcher::selects)) {
            out.add("the matchers would silence every alert (" + String.join("; ", matchers.stream().map(Matcher::breadth).toList())
                    + "): at least one must select alerts by a value: name=\"value\", or name=~\"regex\" that matches only some values");
        }
        if (comment == null || comment.isBlank()) {
            out.add("a comment is required (why, and what is being done)");
        }
        if (createdBy == null || createdBy.isBlank()) {
            out.add("the author is unknown");
        }
        if (endsAt == null || startsAt == null || !endsAt.isAfter(startsAt)) {
            out.add("the end must be after the start");
        }
        return out;
    }

    public Optional<String> problem() {
        List<String> p = problems();
        return p.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", p));
    }

    public List<String> auditArgs() {
        List<String> args = new ArrayList<>();
        matchers.forEach(m -> args.add(m.toString()));
        args.add("until " + endsAt);
        args.add("comment: " + comment);
        return args;
    }
}
