package io.chronofabric.clogic.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "ChronoFabric C-LOGIC coordinator",
        description = "Cross-talk links between C-LOGIC module channels (the seed's CLogicSystem) and the module registry.")
public @interface ClogicConfig {

    String PID = "io.chronofabric.clogic";

    String SEED_LINKS = "drpp.patterns->adp.input, adp.metrics->egc.input, "
            + "ems.modulation->drpp.modulation, ems.modulation->adp.modulation, ems.modulation->egc.modulation, "
            + "egc.decisions->drpp.governance, egc.decisions->adp.governance, egc.decisions->ems.governance";

    @AttributeDefinition(name = "Links",
            description = "Cross-talk links from->to, comma separated; the coordinator keeps exactly these (links it made that are no"
                    + " longer listed are removed; links made by others are left alone). Empty = none.")
    String[] links() default {SEED_LINKS};

    @AttributeDefinition(name = "Check interval (ms)",
            description = "How often the links are checked against the bus and made again if missing (a restarted or replaced bus), 100..600000.")
    long check_interval_ms() default 2000;

    @AttributeDefinition(name = "State directory",
            description = "Where the list of links this coordinator made is kept; empty = ${karaf.data}/chronofabric/clogic.")
    String state_dir() default "";
}
