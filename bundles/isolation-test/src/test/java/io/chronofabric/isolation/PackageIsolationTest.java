package io.chronofabric.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Package isolation of the built bundles (the architecture rules of shared/ARCHITECTURE.md, see
 * {@link IsolationRules}): reads the jar of every bundle under {@code bundles/} (a folder with a
 * {@code bnd.bnd}) as the reactor built it, and checks the manifests and the constant pool of
 * every class. Runs in {@code mvn verify} in about a second, no OSGi framework needed.
 */
class PackageIsolationTest {

    private static Path bundlesDir;
    private static List<Path> bundleDirs;
    private static List<BundleJar> bundles;

    @BeforeAll
    static void readBundles() throws IOException {
        bundlesDir = Path.of(System.getProperty("chronofabric.bundles.dir", "..")).toAbsolutePath().normalize();
        // bundles/<name> and one level below (bundles/compute-probes/<kind>, bundles/aeron/<wrapper>)
        try (Stream<Path> dirs = Files.walk(bundlesDir, 2)) {
            bundleDirs = dirs.filter(d -> !d.equals(bundlesDir) && Files.isRegularFile(d.resolve("bnd.bnd")))
                    .filter(d -> !bundlesDir.relativize(d).toString().contains("target")).sorted().toList();
        }
        List<String> problems = new ArrayList<>();
        List<BundleJar> read = new ArrayList<>();
        for (Path dir : bundleDirs) {
            Path jar = builtJar(dir, problems);
            if (jar != null) {
                read.add(BundleJar.read(jar, "bundles/" + bundlesDir.relativize(dir)));
            }
        }
        assertThat(problems).as("built bundle jars under %s", bundlesDir).isEmpty();
        bundles = List.copyOf(read);
    }

    /** The bundle's jar in target/, or null with a problem named when it is missing or older than its classes. */
    private static Path builtJar(Path dir, List<String> problems) throws IOException {
        String artifactId = artifactId(dir.resolve("pom.xml"));
        Path target = dir.resolve("target");
        List<Path> jars;
        try (Stream<Path> files = Files.isDirectory(target) ? Files.list(target) : Stream.empty()) {
            jars = files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(artifactId + "-") && n.endsWith(".jar") && !n.endsWith("-sources.jar")
                        && !n.endsWith("-tests.jar") && !n.endsWith("-javadoc.jar");
            }).toList();
        }
        if (jars.size() != 1) {
            problems.add("bundles/" + bundlesDir.relativize(dir) + ": expected one target/" + artifactId + "-*.jar, found "
                    + jars.stream().map(j -> j.getFileName().toString()).toList()
                    + " (build the bundles first: mvn verify, or -pl bundles/isolation-test -am install)");
            return null;
        }
        Path jar = jars.get(0);
        Path classes = target.resolve("classes");
        if (Files.isDirectory(classes)) {
            FileTime jarTime = Files.getLastModifiedTime(jar);
            try (Stream<Path> files = Files.walk(classes)) {
                List<Path> newer = files.filter(Files::isRegularFile).filter(f -> {
                    try {
                        return Files.getLastModifiedTime(f).compareTo(jarTime) > 0;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).limit(3).toList();
                if (!newer.isEmpty()) {
                    problems.add("bundles/" + bundlesDir.relativize(dir) + ": " + jar.getFileName()
                            + " is older than its compiled classes (e.g. " + classes.relativize(newer.get(0))
                            + "): package it again before checking it");
                    return null;
                }
            }
        }
        return jar;
    }

    @Test
    void shouldFindEveryBundleAndBuildItBeforeThisCheck() throws IOException {
        assertThat(bundles).as("bundles found under %s", bundlesDir).hasSizeGreaterThanOrEqualTo(2);
        assertThat(bundles).extracting(BundleJar::symbolicName).contains(IsolationRules.API_BUNDLE);
        assertThat(bundles).allSatisfy(b -> assertThat(b.references()).as("classes of %s", b.location()).isNotEmpty());

        // The reactor builds a bundle before this module only if this module depends on it.
        Set<String> dependencies = dependencyArtifactIds(
                Path.of(System.getProperty("chronofabric.isolation.pom", "pom.xml")));
        Set<String> missing = new TreeSet<>();
        for (Path dir : bundleDirs) {
            String artifactId = artifactId(dir.resolve("pom.xml"));
            if (!dependencies.contains(artifactId)) {
                missing.add(artifactId + " (bundles/" + dir.getFileName() + ")");
            }
        }
        assertThat(missing).as("bundles missing from the dependencies of bundles/isolation-test/pom.xml, so the "
                + "reactor may build them after this check").isEmpty();
    }

    @Test
    void shouldKeepEveryBundleToApiAndExportedPackagesOfOthers() {
        List<String> violations = IsolationRules.violations(bundles);

        assertThat(violations)
                .as("package isolation of %s:%n  %s%n", bundles.stream().map(BundleJar::location).toList(),
                        String.join(System.lineSeparator() + "  ", violations))
                .isEmpty();
    }

    @Test
    void shouldKeepTheApiFreeOfImplementationsAndLibraries() {
        BundleJar api = bundles.stream().filter(b -> b.symbolicName().equals(IsolationRules.API_BUNDLE))
                .findFirst().orElseThrow();
        Set<String> used = api.references().values().stream().flatMap(Set::stream).map(ClassReferences::packageOf)
                .filter(p -> !p.startsWith(IsolationRules.API_PACKAGES))
                .collect(Collectors.toCollection(TreeSet::new));

        // What the API uses today besides itself; the rule (IsolationRules.apiMayUse) allows no more.
        assertThat(used).allMatch(IsolationRules::apiMayUse, "java.* or " + IsolationRules.API_MAY_USE)
                .contains("java.lang", "org.osgi.annotation.versioning", "org.osgi.annotation.bundle");
    }

    private static String artifactId(Path pom) {
        Element project = parse(pom).getDocumentElement();
        return childText(project, "artifactId");
    }

    private static Set<String> dependencyArtifactIds(Path pom) {
        Set<String> ids = new TreeSet<>();
        NodeList deps = parse(pom).getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            ids.add(childText((Element) deps.item(i), "artifactId"));
        }
        return ids;
    }

    private static Document parse(Path pom) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(pom.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read " + pom + ": " + e.getMessage(), e);
        }
    }

    private static String childText(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        throw new IllegalStateException("No <" + name + "> in <" + parent.getTagName() + ">");
    }
}
