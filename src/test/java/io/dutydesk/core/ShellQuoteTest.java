package io.dutydesk.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShellQuoteTest {
    @Test
    void plainWordsStayAndEverythingElseIsSingleQuoted() {
        assertEquals("v1.2.0", ShellQuote.quote("v1.2.0"));
        assertEquals("'1.0;touch /tmp/pwned'", ShellQuote.quote("1.0;touch /tmp/pwned"));
        assertEquals("'$(rm -rf /)'", ShellQuote.quote("$(rm -rf /)"));
        assertEquals("'it'\"'\"'s'", ShellQuote.quote("it's"));
        assertEquals("''", ShellQuote.quote(""));
        assertEquals("deploy 'a b'", ShellQuote.join(List.of("deploy", "a b")));
    }

    @Test
    void homeRelativePathsKeepTheTildeOutsideTheQuotes() {
        assertEquals("~/'my backups'", ShellQuote.path("~/my backups"));
        assertEquals("/srv/x", ShellQuote.path("/srv/x"));
    }
}
