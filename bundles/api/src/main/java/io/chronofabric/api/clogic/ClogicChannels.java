package io.chronofabric.api.clogic;

import java.util.List;
import java.util.Map;

/**
 * Channel names of the seed's C-LOGIC layer and its cross-talk links. Plain constants; the
 * coordinator's configuration decides which links exist at run time.
 */
public final class ClogicChannels {

    /** DRPP's input samples (payload: {@link Sample}, a number, or a record with a numeric field). */
    public static final String DRPP_INPUT = "drpp.input";
    /** DRPP publishes {@link PatternEvent}s here. */
    public static final String DRPP_PATTERNS = "drpp.patterns";
    /** EMS modulation forwarded to DRPP ({@link Modulation}). */
    public static final String DRPP_MODULATION = "drpp.modulation";
    /** Governance decisions forwarded to DRPP ({@link GovernanceDecision}). */
    public static final String DRPP_GOVERNANCE = "drpp.governance";

    /** ADP's input (DRPP's patterns arrive here through a link). */
    public static final String ADP_INPUT = "adp.input";
    /** ADP publishes {@link ModuleMetrics} here. */
    public static final String ADP_METRICS = "adp.metrics";
    /** EMS modulation forwarded to ADP. */
    public static final String ADP_MODULATION = "adp.modulation";
    /** Governance decisions forwarded to ADP. */
    public static final String ADP_GOVERNANCE = "adp.governance";

    /** EGC's input (ADP's metrics arrive here through a link). */
    public static final String EGC_INPUT = "egc.input";
    /** EMS modulation forwarded to EGC. */
    public static final String EGC_MODULATION = "egc.modulation";
    /** EGC publishes {@link GovernanceDecision}s here. */
    public static final String EGC_DECISIONS = "egc.decisions";

    /** EMS's input ({@link AppraisalEvent}). */
    public static final String EMS_INPUT = "ems.input";
    /** EMS publishes {@link Modulation} here. */
    public static final String EMS_MODULATION = "ems.modulation";
    /** Governance decisions forwarded to EMS. */
    public static final String EMS_GOVERNANCE = "ems.governance";

    /**
     * The seed's cross-talk links, {@code from -> [to...]}, in the seed's order:
     * {@code drpp.patterns -> adp.input}, {@code adp.metrics -> egc.input},
     * {@code ems.modulation -> drpp/adp/egc.modulation},
     * {@code egc.decisions -> drpp/adp/ems.governance}.
     */
    public static final Map<String, List<String>> SEED_LINKS = Map.of(
            DRPP_PATTERNS, List.of(ADP_INPUT),
            ADP_METRICS, List.of(EGC_INPUT),
            EMS_MODULATION, List.of(DRPP_MODULATION, ADP_MODULATION, EGC_MODULATION),
            EGC_DECISIONS, List.of(DRPP_GOVERNANCE, ADP_GOVERNANCE, EMS_GOVERNANCE));

    private ClogicChannels() {
    }
}
