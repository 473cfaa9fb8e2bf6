package io.dutydesk.core.ports;

/**
 * The console's one notifier: something the user must see now (a new critical alert, a finished
 * long action). The window shows it in the window and, when the window is not focused, on the desktop.
 */
public interface Notifier {
    enum Level { INFO, WARNING, CRITICAL }

    /**
     * @param key what the notice is about: a notifier may drop a repeat of a key it showed recently
     */
    record Notice(String key, Level level, String title, String text, boolean sound) {
        public Notice(String key, Level level, String title, String text) {
            this(key, level, title, text, false);
        }
    }

    void notify(Notice notice);

    Notifier NONE = n -> { };
}
