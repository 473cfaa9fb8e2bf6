package io.dutydesk.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The build's version, from version.properties filtered by Maven. */
public final class Version {
    private Version() {}

    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("/io/dutydesk/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
