package io.chronofabric.api.core;

/**
 * A service cannot take the request now: it is stopping, or a service it needs (the time source,
 * say) is absent. Unlike {@link ResourceExhaustedException}, waiting for room does not help; a
 * caller may retry once the named service is back (a new service registration), or give up.
 */
public class ServiceUnavailableException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    private final String service;

    public ServiceUnavailableException(String service, String details) {
        super(service + " unavailable: " + details);
        this.service = service;
    }

    /** Short name of the unavailable service, e.g. {@code "bus"} or {@code "time source"}. */
    public String service() {
        return service;
    }
}
