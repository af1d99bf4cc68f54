package io.chronofabric.isolation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The house rules on packages (shared/ARCHITECTURE.md, "Rules of the house"), checked over a set
 * of built bundles:
 * <ol>
 * <li>An implementation bundle refers to, and imports, another bundle's ChronoFabric package
 *     only if that bundle exports it and it is not an {@code .internal} package; no
 *     {@code io.chronofabric.*.internal} package is used outside the bundle that holds it; no
 *     DynamicImport-Package reaches another bundle's private package. (Libraries a bundle embeds
 *     privately are its own business.)</li>
 * <li>The ChronoFabric packages of an implementation bundle are exported (its public, versioned
 *     packages) or {@code .internal}; an {@code .internal} package is never exported; no
 *     ChronoFabric package is split over two bundles.</li>
 * <li>The API bundle holds only {@code io.chronofabric.api} packages and refers to nothing but
 *     its own packages, {@code java.*} and {@link #API_MAY_USE}: no implementation package, no
 *     third-party library.</li>
 * <li>A project library that is not a bundle ({@link #EMBEDDED_LIBRARIES}) is treated like a
 *     third-party library embedded privately (bnd {@code -conditionalpackage}): several bundles
 *     may hold a copy, none may export or import it.</li>
 * </ol>
 */
final class IsolationRules {

    static final String API_BUNDLE = "io.chronofabric.api";
    static final String API_PACKAGES = "io.chronofabric.api.";
    static final String PROJECT_PACKAGES = "io.chronofabric.";

    /**
     * Packages (or prefixes, ending in '.') the API bundle may use besides java.* and its own:
     * the OSGi annotations (versioning, bundle: class retention, no import), the DS component
     * property type annotation of {@code PacketSubscription}, and, per ARCHITECTURE.md, at most
     * the OSGi promise and function utilities.
     */
    static final List<String> API_MAY_USE = List.of(
            "org.osgi.annotation.",
            "org.osgi.service.component.annotations",
            "org.osgi.util.promise",
            "org.osgi.util.function");

    /**
     * Packages of the project's plain-jar libraries (modules without a bnd.bnd) that bundles embed
     * privately with bnd {@code -conditionalpackage}: bundles/compute-mlir, the MLIR subset each
     * compute backend holds its own copy of.
     */
    static final List<String> EMBEDDED_LIBRARIES = List.of("io.chronofabric.compute.mlir",
            // the probe bundles' shared base (bundles/compute-probes/src), compiled into each privately
            "io.chronofabric.compute.probe.common",
            // the bridges' shared code (bundles/bridge-common), embedded into each bridge privately
            "io.chronofabric.bridge.common.internal",
            // the C-LOGIC modules' shared code (bundles/clogic-common), embedded into each module privately
            "io.chronofabric.clogic.common.internal");

    static boolean isEmbeddedLibrary(String pkg) {
        return EMBEDDED_LIBRARIES.contains(pkg);
    }

    private IsolationRules() {
    }

    /** Every breach of the rules, one line each, sorted; empty when the bundles keep them. */
    static List<String> violations(List<BundleJar> bundles) {
        Map<String, List<BundleJar>> owners = new TreeMap<>();
        for (BundleJar b : bundles) {
            for (String p : b.ownPackages()) {
                owners.computeIfAbsent(p, k -> new ArrayList<>()).add(b);
            }
        }
        Set<String> found = new TreeSet<>();
        owners.forEach((p, holders) -> {
            if (p.startsWith(PROJECT_PACKAGES) && holders.size() > 1 && !isEmbeddedLibrary(p)) {
                found.add("package " + p + " is split over " + holders.stream().map(BundleJar::location).toList()
                        + ": one bundle must hold it");
            }
        });
        for (BundleJar b : bundles) {
            if (b.symbolicName().equals(API_BUNDLE)) {
                checkApi(b, found);
            } else {
                checkImplementation(b, owners, found);
            }
        }
        return List.copyOf(found);
    }

    static boolean isInternal(String pkg) {
        return pkg.endsWith(".internal") || pkg.contains(".internal.") || pkg.equals("internal");
    }

    private static String who(BundleJar b) {
        return b.location() + " (" + b.symbolicName() + ")";
    }

    private static void checkImplementation(BundleJar b, Map<String, List<BundleJar>> owners, Set<String> found) {
        for (String p : b.ownPackages()) {
            if (!p.startsWith(PROJECT_PACKAGES)) {
                continue; // an embedded library's packages
            }
            boolean exported = b.exports().contains(p);
            if (isEmbeddedLibrary(p)) {
                if (exported) {
                    found.add(who(b) + " exports " + p + ", a project library every user embeds privately: do not"
                            + " export it");
                }
                continue;
            }
            if (exported && isInternal(p)) {
                found.add(who(b) + " exports its internal package " + p + ": keep .internal packages private");
            } else if (!exported && !isInternal(p)) {
                found.add(who(b) + " holds package " + p + ", neither exported nor .internal: name it "
                        + p + ".internal, or export it with a version (package-info.java)");
            }
        }
        b.references().forEach((cls, types) -> {
            for (String type : types) {
                String p = ClassReferences.packageOf(type);
                String why = forbidden(b, p, owners);
                if (why != null) {
                    found.add(who(b) + ": class " + cls + " refers to " + type + ", " + why);
                }
            }
        });
        for (String p : b.imports()) {
            String why = forbidden(b, p, owners);
            if (why != null) {
                found.add(who(b) + ": Import-Package names " + p + ", " + why);
            }
        }
        for (String pattern : b.dynamicImports()) {
            owners.forEach((p, holders) -> {
                for (BundleJar owner : holders) {
                    if (owner != b && p.startsWith(PROJECT_PACKAGES) && matches(pattern, p)
                            && (!owner.exports().contains(p) || isInternal(p))) {
                        found.add(who(b) + ": DynamicImport-Package " + pattern + " reaches " + owner.location()
                                + "'s private package " + p);
                    }
                }
            });
        }
    }

    /** Why {@code b} may not use package {@code p}, or null if it may. */
    private static String forbidden(BundleJar b, String p, Map<String, List<BundleJar>> owners) {
        if (b.ownPackages().contains(p) || !p.startsWith(PROJECT_PACKAGES)) {
            return null; // its own, or a library's (embedded privately elsewhere is that bundle's business)
        }
        if (isEmbeddedLibrary(p)) {
            return "a project library that bundles embed privately (-conditionalpackage), never import";
        }
        for (BundleJar owner : owners.getOrDefault(p, List.of())) {
            if (!owner.exports().contains(p)) {
                return "in " + owner.location() + "'s private package " + p
                        + ": bundles meet only through exported (API) packages and services";
            }
        }
        if (isInternal(p)) {
            return "in another bundle's internal package " + p + ": .internal packages are private";
        }
        return null;
    }

    private static void checkApi(BundleJar api, Set<String> found) {
        for (String p : api.ownPackages()) {
            if (!p.startsWith(API_PACKAGES)) {
                found.add(who(api) + " holds package " + p + ": the API bundle holds only " + API_PACKAGES + "*");
            }
        }
        for (String p : api.exports()) {
            if (!p.startsWith(API_PACKAGES)) {
                found.add(who(api) + " exports " + p + ": the API bundle exports only " + API_PACKAGES + "*");
            }
        }
        api.references().forEach((cls, types) -> {
            for (String type : types) {
                String p = ClassReferences.packageOf(type);
                if (!apiMayUse(p)) {
                    found.add(who(api) + ": class " + cls + " refers to " + type + " (package " + p
                            + "): the API depends on no implementation and no third-party library");
                }
            }
        });
        for (String p : api.imports()) {
            if (!apiMayUse(p)) {
                found.add(who(api) + ": Import-Package names " + p
                        + ": the API depends on no implementation and no third-party library");
            }
        }
        for (String pattern : api.dynamicImports()) {
            found.add(who(api) + ": DynamicImport-Package " + pattern + ": the API imports nothing dynamically");
        }
    }

    static boolean apiMayUse(String p) {
        if (p.startsWith(API_PACKAGES) || p.equals("java") || p.startsWith("java.")) {
            return true;
        }
        for (String allowed : API_MAY_USE) {
            if (allowed.endsWith(".") ? p.startsWith(allowed) : p.equals(allowed) || p.startsWith(allowed + ".")) {
                return true;
            }
        }
        return false;
    }

    /** OSGi DynamicImport-Package matching: {@code *}, {@code a.b.*} (a.b's sub-packages), or exact. */
    static boolean matches(String pattern, String pkg) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return pkg.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(pkg);
    }
}
