package io.chronofabric.isolation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * What the isolation rules need to know of one built bundle: its name, the packages its manifest
 * exports and imports, the packages it holds classes of, and the classes each of its classes
 * refers to.
 *
 * @param symbolicName Bundle-SymbolicName
 * @param location     where it came from, for messages (e.g. {@code bundles/bus})
 * @param exports      packages named in Export-Package
 * @param imports      packages named in Import-Package
 * @param dynamicImports patterns of DynamicImport-Package
 * @param ownPackages  packages it holds at least one class of
 * @param references   for each class it holds (binary name), the classes that class refers to
 */
record BundleJar(String symbolicName, String location, Set<String> exports, Set<String> imports,
        Set<String> dynamicImports, Set<String> ownPackages, Map<String, Set<String>> references) {

    BundleJar {
        exports = Set.copyOf(exports);
        imports = Set.copyOf(imports);
        dynamicImports = Set.copyOf(dynamicImports);
        ownPackages = Set.copyOf(ownPackages);
        references = Collections.unmodifiableMap(new TreeMap<>(references));
    }

    static BundleJar read(Path jar, String location) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getManifest() == null) {
                throw new IOException(jar + " has no manifest");
            }
            Attributes main = file.getManifest().getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException(jar + " is not a bundle: no Bundle-SymbolicName");
            }
            Set<String> own = new TreeSet<>();
            Map<String, Set<String>> refs = new TreeMap<>();
            for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (entry.isDirectory() || !name.endsWith(".class") || name.startsWith("META-INF/")
                        || name.endsWith("module-info.class")) {
                    continue;
                }
                String binaryName = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                own.add(ClassReferences.packageOf(binaryName));
                try (InputStream in = file.getInputStream(entry)) {
                    refs.put(binaryName, ClassReferences.of(in.readAllBytes()));
                } catch (IOException ex) {
                    throw new IOException("Cannot read " + name + " in " + jar + ": " + ex.getMessage(), ex);
                }
            }
            return new BundleJar(bsn.split(";", 2)[0].trim(), location,
                    packageNames(main.getValue("Export-Package")), packageNames(main.getValue("Import-Package")),
                    packageNames(main.getValue("DynamicImport-Package")), own, refs);
        }
    }

    /**
     * The package names of an OSGi package header ({@code p1;p2;version="[1,2)";uses:="a,b", p3}):
     * the parts of each clause before its first attribute or directive.
     */
    static Set<String> packageNames(String header) {
        Set<String> names = new TreeSet<>();
        if (header == null || header.isBlank()) {
            return names;
        }
        for (String clause : split(header, ',')) {
            for (String part : split(clause, ';')) {
                String p = part.trim();
                if (p.contains("=")) {
                    break; // attributes and directives follow the names
                }
                if (!p.isEmpty()) {
                    names.add(p);
                }
            }
        }
        return names;
    }

    /** Splits at {@code sep} outside double quotes. */
    private static List<String> split(String s, char sep) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == sep && !quoted) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
