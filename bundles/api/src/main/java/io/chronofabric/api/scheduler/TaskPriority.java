package io.chronofabric.api.scheduler;

import java.util.Locale;

/** Breaks ties between tasks with equal deadlines: higher first. */
public enum TaskPriority {
    LOW,
    NORMAL,
    HIGH,
    CRITICAL;

    /** @throws IllegalArgumentException naming the text and the accepted names */
    public static TaskPriority parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Unknown task priority '" + text + "': expected one of low, normal, high, critical", e);
        }
    }
}
