package io.chronofabric.api.compute;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A module compiled by one backend; only that backend can execute it.
 *
 * <p>A module holds backend resources (kernels, device programs) until {@link #release()}.
 * Modules returned by {@link MlirRuntime#compile} are shared handles on the runtime's cache:
 * each {@code compile} call must be matched by one {@code release}. Thread-safe.
 */
@ProviderType
public interface CompiledModule {

    String name();

    BackendKind backend();

    /**
     * Hex SHA-256 of the module's source text: equal texts give equal hashes.
     *
     * @since 1.1
     */
    String contentHash();

    /**
     * The source it was compiled from.
     *
     * @since 1.1
     */
    ModuleSource source();

    /**
     * The module's functions in source order.
     *
     * @since 1.1
     */
    List<FunctionSignature> functions();

    /** @since 1.1 */
    default Optional<FunctionSignature> function(String name) {
        for (FunctionSignature f : functions()) {
            if (f.name().equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * The function called {@code name}.
     *
     * @throws IllegalArgumentException naming the function, the module and the functions it has
     * @since 1.1
     */
    default FunctionSignature requireFunction(String name) {
        return function(name).orElseThrow(() -> {
            StringBuilder has = new StringBuilder();
            for (FunctionSignature f : functions()) {
                has.append(has.length() == 0 ? "@" : ", @").append(f.name());
            }
            return new IllegalArgumentException("no function @" + name + " in module '" + name()
                    + "' (it has " + (has.length() == 0 ? "none" : has) + ")");
        });
    }

    /**
     * Releases this handle: for a runtime handle, one reference on the cached module (freed with
     * the last one); for a backend's own module, its resources. Idempotent per handle.
     *
     * @since 1.1
     */
    void release();

    /** @since 1.1 */
    boolean isReleased();
}
