package io.chronofabric.api.compute;

import org.osgi.annotation.versioning.ProviderType;

/** A module compiled by one backend; only that backend can execute it. */
@ProviderType
public interface CompiledModule {

    String name();

    BackendKind backend();
}
