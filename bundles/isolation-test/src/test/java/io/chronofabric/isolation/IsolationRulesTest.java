package io.chronofabric.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules and the class-file reader on small hand-made inputs, so each rule is seen to fail. */
class IsolationRulesTest {

    private static BundleJar bundle(String bsn, Set<String> exports, Set<String> imports,
            Map<String, Set<String>> references) {
        Set<String> own = new java.util.TreeSet<>();
        references.keySet().forEach(c -> own.add(ClassReferences.packageOf(c)));
        return new BundleJar(bsn, "bundles/" + bsn.substring(bsn.lastIndexOf('.') + 1), exports, imports, Set.of(),
                own, references);
    }

    private static final BundleJar API = bundle("io.chronofabric.api", Set.of("io.chronofabric.api.bus"),
            Set.of(), Map.of("io.chronofabric.api.bus.EventBus", Set.of("java.lang.Object",
                    "org.osgi.annotation.versioning.ProviderType")));

    private static final BundleJar LEDGER = bundle("io.chronofabric.ledger", Set.of("io.chronofabric.ledger.verify"),
            Set.of("io.chronofabric.api.bus"), Map.of(
                    "io.chronofabric.ledger.internal.DurableLedger", Set.of("io.chronofabric.api.bus.EventBus"),
                    "io.chronofabric.ledger.verify.ProofVerifier", Set.of("java.lang.Object")));

    @Test
    void shouldAcceptApiAndExportedPackagesOfOtherBundlesAndLibraries() {
        BundleJar shell = bundle("io.chronofabric.shell", Set.of(), Set.of("io.chronofabric.ledger.verify",
                "org.apache.karaf.shell.api.action"), Map.of("io.chronofabric.shell.internal.VerifyCommand",
                        Set.of("io.chronofabric.ledger.verify.ProofVerifier", "io.chronofabric.api.bus.EventBus",
                                "org.apache.karaf.shell.api.action.Action", "io.chronofabric.shell.internal.Other")));

        assertThat(IsolationRules.violations(List.of(API, LEDGER, shell))).isEmpty();
    }

    @Test
    void shouldFlagAClassThatRefersToAnotherBundlesPrivatePackage() {
        BundleJar shell = bundle("io.chronofabric.shell", Set.of(), Set.of(), Map.of(
                "io.chronofabric.shell.internal.StatusCommand", Set.of("io.chronofabric.ledger.internal.DurableLedger")));

        assertThat(IsolationRules.violations(List.of(API, LEDGER, shell))).singleElement().asString()
                .contains("bundles/shell", "io.chronofabric.shell.internal.StatusCommand",
                        "io.chronofabric.ledger.internal.DurableLedger", "bundles/ledger's private package");
    }

    @Test
    void shouldFlagAnImportOfAnInternalPackageEvenOfABundleNotBuiltHere() {
        BundleJar shell = bundle("io.chronofabric.shell", Set.of(), Set.of("io.chronofabric.bus.internal"),
                Map.of("io.chronofabric.shell.internal.A", Set.of("java.lang.Object")));

        assertThat(IsolationRules.violations(List.of(API, shell))).singleElement().asString()
                .contains("Import-Package names io.chronofabric.bus.internal", "internal package");
    }

    @Test
    void shouldFlagDynamicImportsThatReachPrivatePackages() {
        BundleJar shell = new BundleJar("io.chronofabric.shell", "bundles/shell", Set.of(), Set.of(), Set.of("*"),
                Set.of("io.chronofabric.shell.internal"),
                Map.of("io.chronofabric.shell.internal.A", Set.of("java.lang.Object")));

        assertThat(IsolationRules.violations(List.of(API, LEDGER, shell))).singleElement().asString()
                .contains("DynamicImport-Package *", "io.chronofabric.ledger.internal");
    }

    @Test
    void shouldFlagPackagesNeitherExportedNorInternalAndExportedInternalOnes() {
        BundleJar bus = bundle("io.chronofabric.bus", Set.of("io.chronofabric.bus.internal"), Set.of(), Map.of(
                "io.chronofabric.bus.internal.Bus", Set.of("java.lang.Object"),
                "io.chronofabric.bus.util.Helper", Set.of("java.lang.Object"),
                "org.jctools.queues.MpscArrayQueue", Set.of("java.lang.Object")));

        assertThat(IsolationRules.violations(List.of(API, bus)))
                .anySatisfy(v -> assertThat(v).contains("exports its internal package io.chronofabric.bus.internal"))
                .anySatisfy(v -> assertThat(v).contains("io.chronofabric.bus.util, neither exported nor .internal"))
                .hasSize(2);
    }

    @Test
    void shouldLetBundlesEmbedAProjectLibraryPrivatelyButNotExportOrImportIt() {
        Map<String, Set<String>> refs = Map.of("io.chronofabric.compute.mlir.MlirParser", Set.of("java.lang.Object"),
                "io.chronofabric.compute.cpu.internal.CpuBackend", Set.of("io.chronofabric.compute.mlir.MlirParser"));
        BundleJar cpu = bundle("io.chronofabric.compute.cpu", Set.of(), Set.of(), refs);
        BundleJar opencl = bundle("io.chronofabric.compute.opencl", Set.of(), Set.of(), Map.of(
                "io.chronofabric.compute.mlir.MlirParser", Set.of("java.lang.Object"),
                "io.chronofabric.compute.opencl.internal.ClBackend", Set.of("io.chronofabric.compute.mlir.MlirParser")));
        assertThat(IsolationRules.violations(List.of(API, cpu, opencl))).isEmpty();

        BundleJar exporting = bundle("io.chronofabric.compute.cpu", Set.of("io.chronofabric.compute.mlir"), Set.of(), refs);
        BundleJar importing = bundle("io.chronofabric.compute.opencl", Set.of(), Set.of("io.chronofabric.compute.mlir"),
                Map.of("io.chronofabric.compute.opencl.internal.ClBackend", Set.of("io.chronofabric.compute.mlir.MlirParser")));
        assertThat(IsolationRules.violations(List.of(API, exporting, importing)))
                .anySatisfy(v -> assertThat(v).contains("exports io.chronofabric.compute.mlir"))
                .anySatisfy(v -> assertThat(v).contains("Import-Package names io.chronofabric.compute.mlir"));
    }

    @Test
    void shouldFlagASplitPackage() {
        BundleJar other = bundle("io.chronofabric.other", Set.of(), Set.of(), Map.of(
                "io.chronofabric.ledger.internal.Copy", Set.of("java.lang.Object")));

        assertThat(IsolationRules.violations(List.of(API, LEDGER, other)))
                .anySatisfy(v -> assertThat(v).contains("io.chronofabric.ledger.internal is split over"));
    }

    @Test
    void shouldFlagAnApiThatUsesALibraryOrAnImplementation() {
        BundleJar api = bundle("io.chronofabric.api", Set.of("io.chronofabric.api.bus", "org.jctools.queues"),
                Set.of("org.slf4j"), Map.of(
                        "io.chronofabric.api.bus.EventBus", Set.of("org.slf4j.Logger", "io.chronofabric.bus.internal.Bus",
                                "org.osgi.service.component.annotations.ComponentPropertyType"),
                        "org.jctools.queues.Q", Set.of("java.lang.Object")));

        assertThat(IsolationRules.violations(List.of(api)))
                .anySatisfy(v -> assertThat(v).contains("refers to org.slf4j.Logger"))
                .anySatisfy(v -> assertThat(v).contains("refers to io.chronofabric.bus.internal.Bus"))
                .anySatisfy(v -> assertThat(v).contains("Import-Package names org.slf4j"))
                .anySatisfy(v -> assertThat(v).contains("holds package org.jctools.queues"))
                .anySatisfy(v -> assertThat(v).contains("exports org.jctools.queues"))
                .hasSize(5);
    }

    @Retention(RetentionPolicy.CLASS)
    @interface Marker {
    }

    /** A sample whose references are known: signature generics, an annotation, a lambda, literals. */
    @Marker
    static final class Sample {
        java.util.List<java.util.Map<String, java.util.concurrent.atomic.LongAdder>> field;

        Runnable task(java.time.Duration d) {
            String notAType = "Ljavax/swing/JButton;";
            String alsoNot = "javax.swing.JLabel";
            return () -> System.out.println(d + notAType + alsoNot);
        }
    }

    @Test
    void shouldReadTypeReferencesButNotStringLiteralsFromAClassFile() throws IOException {
        byte[] bytes;
        try (InputStream in = Sample.class.getResourceAsStream("IsolationRulesTest$Sample.class")) {
            bytes = in.readAllBytes();
        }

        Set<String> refs = ClassReferences.of(bytes);

        assertThat(refs).contains("java.util.List", "java.util.Map", "java.util.concurrent.atomic.LongAdder",
                "java.time.Duration", "java.lang.Runnable", "java.io.PrintStream",
                "io.chronofabric.isolation.IsolationRulesTest$Marker");
        assertThat(refs).noneMatch(r -> r.startsWith("javax.swing"));
    }

    @Test
    void shouldReadPackageNamesOfAHeaderWithQuotedCommas() {
        assertThat(BundleJar.packageNames("a.b;version=\"1.0.0\";uses:=\"c.d,e.f\",g.h;i.j;version=\"[1,2)\",k"))
                .containsExactlyInAnyOrder("a.b", "g.h", "i.j", "k");
    }
}
