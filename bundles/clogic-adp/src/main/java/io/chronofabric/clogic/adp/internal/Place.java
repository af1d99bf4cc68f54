package io.chronofabric.clogic.adp.internal;

import io.chronofabric.api.adp.WorkUnit;
import java.util.concurrent.CompletionStage;

/** A place ADP can send units to (built-in or a WorkPlace service). Thread-safe. */
interface Place {

    String name();

    String kind();

    boolean accepts(WorkUnit<?> unit);

    /** Empty when it can take work now, else why not. */
    String unavailableReason();

    /** Work waiting there besides ADP's in-flight units (read at ticks, not per decision). */
    int queueLength();

    /** Starts the unit; the stage completes with its result or failure; ADP may cancel it. */
    <T> CompletionStage<T> run(WorkUnit<T> unit);
}
