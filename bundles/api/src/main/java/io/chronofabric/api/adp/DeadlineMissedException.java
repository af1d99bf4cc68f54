package io.chronofabric.api.adp;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A {@link WorkUnit}'s result did not arrive within its deadline; the stage returned by
 * {@link AdaptiveProcessor#submit(WorkUnit)} completes exceptionally with it. ADP counts it as a
 * failure of the place and asks the place to cancel the work.
 */
public class DeadlineMissedException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    private final String unit;
    private final String place;
    private final Duration deadline;

    /**
     * @param unit     the unit's name
     * @param place    the place that was running it
     * @param deadline the unit's deadline, from submission
     */
    public DeadlineMissedException(String unit, String place, Duration deadline) {
        super("Work unit '" + unit + "' missed its deadline of " + deadline.toMillis() + " ms (" + deadline + ") on place '" + place + "'");
        this.unit = unit;
        this.place = place;
        this.deadline = deadline;
    }

    public String unit() {
        return unit;
    }

    public String place() {
        return place;
    }

    public Duration deadline() {
        return deadline;
    }
}
