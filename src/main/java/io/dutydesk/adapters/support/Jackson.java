package io.dutydesk.adapters.support;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The plain Jackson mapper the adapters share (thread-safe; nobody reconfigures it), built on its first use: Jackson's
 * set-up loads some 400 classes, ~100 ms of a cold start, which must not stand between a CLI verb and its first byte to
 * the server.
 */
public final class Jackson {
    private Jackson() {}

    private static final class Plain {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    public static ObjectMapper plain() {
        return Plain.MAPPER;
    }
}
