package io.chronofabric.compute.mlir;

/**
 * A module that does not parse, uses an op outside the subset, or does not verify. The message
 * names the place ({@code line:column}) and what was expected or wrong.
 */
public class MlirException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Location location;

    public MlirException(Location location, String message) {
        super(location == null || location == Location.UNKNOWN ? message : message + " at " + location);
        this.location = location == null ? Location.UNKNOWN : location;
    }

    /** Where the problem is; {@link Location#UNKNOWN} when it has no place in the text. */
    public Location location() {
        return location;
    }
}
