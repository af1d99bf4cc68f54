package io.chronofabric.api.compute;

import java.util.Objects;

/**
 * Source of a compute module.
 *
 * @param name     module name
 * @param language source language, e.g. {@code mlir} or {@code expr}
 * @param text     the source
 */
public record ModuleSource(String name, String language, String text) {

    public ModuleSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(text, "text");
    }
}
