package io.dutydesk.adapters.docker;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's name filter is a regular expression matched anywhere in "/name": the adapter asks for one name exactly. */
class DockerNameFilterTest {
    @Test
    void oneNameExactlyNotTheNamesContainingIt() {
        String f = DockerAdapter.exactName("selfology-api.v2_blue");
        assertEquals("^/selfology-api\\.v2_blue$", f);
        Pattern p = Pattern.compile(f); // the same syntax as Go's for these
        assertTrue(p.matcher("/selfology-api.v2_blue").find());
        assertFalse(p.matcher("/selfology-apiXv2_blue").find(), "a dot is a dot");
        assertFalse(p.matcher("/selfology-api.v2_blue-old").find());
        assertFalse(p.matcher("/old-selfology-api.v2_blue").find());
    }
}
