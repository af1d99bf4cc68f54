package io.chronofabric.api.quantum;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A circuit registered as an OSGi service under a name, e.g. by dropping {@code bell.qasm} into
 * Karaf's {@code deploy/} folder (name {@code bell}). The service carries the property
 * {@value #NAME_PROPERTY}, so consumers can select one with a filter such as
 * {@code (circuit.name=bell)}. Immutable; the service goes away when its source does.
 */
@ProviderType
public interface NamedCircuit {

    /** Service property holding {@link #name()}. */
    String NAME_PROPERTY = "circuit.name";

    /** The name; not null, not empty. */
    String name();

    /** The circuit; not null. */
    Circuit circuit();

    /** Where it came from (a file path or URL), for messages. */
    String source();
}
