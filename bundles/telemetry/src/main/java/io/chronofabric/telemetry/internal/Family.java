package io.chronofabric.telemetry.internal;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The metric families that configuration can switch on and off. */
enum Family {
    BUS, SUBSCRIPTIONS, DEADLETTERS, SCHEDULER, ORACLE, LEDGER, HLC, TIME, HEALTH, JVM, CLOGIC, COMPUTE, CLUSTER;

    /** Parses the configured names; an unknown name is an error that names it and the known ones. */
    static Set<Family> parse(String[] names) {
        EnumSet<Family> set = EnumSet.noneOf(Family.class);
        if (names == null) {
            return set;
        }
        for (String raw : names) {
            for (String part : raw.split(",")) {
                String n = part.trim();
                if (n.isEmpty()) {
                    continue;
                }
                try {
                    set.add(Family.valueOf(n.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("Unknown metric family '" + n + "' in " + TelemetryConfig.PID
                            + " families; known: " + EnumSet.allOf(Family.class).toString().toLowerCase(Locale.ROOT), e);
                }
            }
        }
        return set;
    }
}
