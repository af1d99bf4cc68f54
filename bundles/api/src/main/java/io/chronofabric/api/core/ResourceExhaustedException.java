package io.chronofabric.api.core;

/** A bounded resource (queue, pool capacity, sequence space) has no room for the request. */
public class ResourceExhaustedException extends ChronoFabricException {

    private static final long serialVersionUID = 1L;

    private final String resource;

    public ResourceExhaustedException(String resource, String details) {
        super("Resource exhausted: " + resource + " - " + details);
        this.resource = resource;
    }

    /** Short name of the exhausted resource, e.g. {@code "scheduler utilisation"}. */
    public String resource() {
        return resource;
    }
}
