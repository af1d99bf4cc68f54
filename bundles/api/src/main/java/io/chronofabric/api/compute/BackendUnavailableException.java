package io.chronofabric.api.compute;

/**
 * No backend of the requested kind can run now: none is registered, it reports unavailable, or
 * it went away while a module compiled by it was still in use. The message names the kind and
 * the reason.
 *
 * @since 1.1
 */
public class BackendUnavailableException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final BackendKind kind;

    public BackendUnavailableException(BackendKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /** The kind that could not run (may be null when no kind was involved). */
    public BackendKind kind() {
        return kind;
    }
}
