package io.chronofabric.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.chronofabric.api.bus.EventBus;
import io.chronofabric.api.bus.PhasePacket;
import io.chronofabric.api.bus.Receiver;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Assume;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The bundle archetype end to end, as a user runs it: generate a project from the archetype
 * built by this reactor, build it offline against the local repository, drop its jar into the
 * running distribution's {@code deploy/} folder, and see its handler answer packets and its
 * publisher tick. Skipped, with a message, when no Maven installation is found (property
 * {@code maven.home}, {@code MAVEN_HOME} or {@code mvn} on the PATH).
 *
 * <p>Before generating, the reactor's freshly built archetype, API bundle and parent POM are
 * installed into the local repository with {@code install:install-file} (one Maven run), as {@code mvn install}
 * would, so that {@code mvn verify} tests this build and not an older installed one.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ArchetypeIT extends ChronoFabricTestSupport {

    private static final String ARCHETYPE_PLUGIN = "org.apache.maven.plugins:maven-archetype-plugin:3.3.1";
    private static final String CHANNEL = "itest.hello";
    private static final String PACKAGE = "itest.example.hello";
    private static final long PROCESS_TIMEOUT_S = 240;

    @Override
    @Configuration
    public Option[] config() {
        File distribution = new File(System.getProperty("chronofabric.distribution", "")).getAbsoluteFile();
        // <root>/karaf-distribution/target/chronofabric-karaf-<version>.tar.gz
        File root = distribution.getParentFile().getParentFile().getParentFile();
        String version = distribution.getName().replaceFirst("^chronofabric-karaf-", "").replaceFirst("\\.tar\\.gz$", "");
        String mvn = findMaven();
        return OptionUtils.combine(super.config(),
                systemProperty("itest.maven").value(mvn == null ? "" : mvn),
                systemProperty("itest.root").value(root.getPath()),
                systemProperty("itest.project.version").value(version),
                systemProperty("itest.local.repository").value(System.getProperty("org.ops4j.pax.url.mvn.localRepository", "")));
    }

    /** The mvn launcher of the Maven running the build, or one on the PATH; null if none. */
    private static String findMaven() {
        List<File> candidates = new ArrayList<>();
        for (String home : new String[] {System.getProperty("maven.home"), System.getenv("MAVEN_HOME")}) {
            if (home != null && !home.isEmpty()) {
                candidates.add(new File(home, "bin/mvn"));
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                candidates.add(new File(dir, "mvn"));
            }
        }
        for (File f : candidates) {
            if (f.isFile() && f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    @Test
    public void aProjectGeneratedFromTheArchetypeBuildsOfflineDeploysAndReceivesPackets() throws Exception {
        String mvn = System.getProperty("itest.maven", "");
        if (mvn.isEmpty()) {
            System.err.println("SKIPPED ArchetypeIT: no Maven found (maven.home, MAVEN_HOME or mvn on the PATH)");
            Assume.assumeTrue("no Maven installation found (maven.home, MAVEN_HOME or mvn on the PATH)", false);
        }
        File root = new File(System.getProperty("itest.root"));
        String version = System.getProperty("itest.project.version");
        String repo = System.getProperty("itest.local.repository", "");
        File archetypeJar = new File(root, "archetype/target/chronofabric-bundle-archetype-" + version + ".jar");
        File apiJar = new File(root, "bundles/api/target/io.chronofabric.api-" + version + ".jar");
        assertTrue("the reactor's archetype " + archetypeJar + " is built", archetypeJar.isFile());
        assertTrue("the reactor's API bundle " + apiJar + " is built", apiJar.isFile());

        Path work = Files.createTempDirectory(new File(root, "itests/target").toPath(), "archetype-it-");
        List<String> repoArg = repo.isEmpty() ? List.of() : List.of("-Dmaven.repo.local=" + repo);

        long start = System.nanoTime();
        // what `mvn install` would have put in the local repository, from this reactor's build: one
        // Maven run of a throw-away pom whose install-file executions install the three artifacts
        Path installer = Files.createDirectories(work.resolve("installer"));
        Files.writeString(installer.resolve("pom.xml"), installerPom(new File(root, "pom.xml"), apiJar, new File(root, "bundles/api/pom.xml"),
                archetypeJar, new File(root, "archetype/pom.xml")), StandardCharsets.UTF_8);
        run(installer, mvn, repoArg, "validate");

        run(work, mvn, repoArg, ARCHETYPE_PLUGIN + ":generate", "-DarchetypeGroupId=io.chronofabric",
                "-DarchetypeArtifactId=chronofabric-bundle-archetype", "-DarchetypeVersion=" + version,
                "-DgroupId=itest.example", "-DartifactId=itest-hello", "-Dversion=1.0.0", "-Dpackage=" + PACKAGE,
                "-Dchannel=" + CHANNEL, "-DinteractiveMode=false");
        Path project = work.resolve("itest-hello");
        assertTrue("generated handler", Files.isRegularFile(project.resolve("src/main/java/itest/example/hello/GreetingHandler.java")));
        run(project, mvn, repoArg, "package");
        Path jar = project.resolve("target/itest-hello-1.0.0.jar");
        assertTrue("built bundle " + jar, Files.isRegularFile(jar));
        assertTrue("the generated project's unit test ran",
                Files.isRegularFile(project.resolve("target/surefire-reports/TEST-" + PACKAGE + ".GreetingHandlerTest.xml")));
        System.err.printf("ArchetypeIT: install, generate and offline build took %.1f s%n", (System.nanoTime() - start) / 1e9);

        EventBus bus = service(EventBus.class);
        Path deployed = Path.of(System.getProperty("karaf.base"), "deploy", "itest-hello-1.0.0.jar");
        try (Receiver<Object> greetings = bus.subscribeChannel(CHANNEL + ".greetings");
                Receiver<Object> ticks = bus.subscribeChannel(CHANNEL + ".ticks")) {
            Files.copy(jar, deployed, StandardCopyOption.REPLACE_EXISTING);
            waitFor(() -> state(PACKAGE) == Bundle.ACTIVE, "bundle " + PACKAGE + " from deploy/ to be active");
            waitFor(() -> bus.subscriberCount(CHANNEL) > 0, "the generated handler's subscription to " + CHANNEL);

            for (String name : new String[] {"Pax Exam", "Karaf"}) {
                bus.publish(PhasePacket.builder(name).channel(CHANNEL).build());
                PhasePacket<Object> greeting = greetings.take(30, TimeUnit.SECONDS);
                assertNotNull("a greeting for " + name + " on " + CHANNEL + ".greetings", greeting);
                assertEquals("Hello, " + name + "!", greeting.payload());
            }
            PhasePacket<Object> tick = ticks.take(30, TimeUnit.SECONDS);
            assertNotNull("a tick from the generated publisher on " + CHANNEL + ".ticks", tick);
            assertTrue(String.valueOf(tick.payload()), String.valueOf(tick.payload()).matches("tick \\d+"));
        } finally {
            Files.deleteIfExists(deployed);
        }
        // hot undeploy: removing the jar uninstalls the bundle and its subscription goes
        waitFor(() -> state(PACKAGE) == Bundle.UNINSTALLED, "bundle " + PACKAGE + " to be uninstalled after its jar left deploy/");
        waitFor(() -> bus.subscriberCount(CHANNEL) == 0, "the generated handler's subscription to go");
    }

    /** A pom whose build (validate) runs install:install-file for each file/pom pair given. */
    private static String installerPom(File parentPom, File apiJar, File apiPom, File archetypeJar, File archetypePom) {
        StringBuilder executions = new StringBuilder();
        Object[][] items = {{"parent", parentPom, parentPom, "pom"}, {"api", apiJar, apiPom, "jar"}, {"archetype", archetypeJar, archetypePom, "jar"}};
        for (Object[] i : items) {
            executions.append("<execution><id>").append(i[0]).append("</id><phase>validate</phase><goals><goal>install-file</goal></goals>")
                    .append("<configuration><file>").append(i[1]).append("</file><pomFile>").append(i[2]).append("</pomFile>")
                    .append("<packaging>").append(i[3]).append("</packaging></configuration></execution>");
        }
        return "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>itest.archetype</groupId><artifactId>installer</artifactId><version>1</version><packaging>pom</packaging>"
                + "<build><plugins><plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-install-plugin</artifactId>"
                + "<version>3.1.3</version><executions>" + executions + "</executions></plugin></plugins></build></project>";
    }

    private int state(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b.getState();
            }
        }
        return Bundle.UNINSTALLED;
    }

    /** Runs mvn offline and in batch mode in {@code dir}; fails with the end of its output if it fails. */
    private static void run(Path dir, String mvn, List<String> extra, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(mvn, "-o", "-B", "-q"));
        command.addAll(extra);
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir.getParent() == null ? dir : dir, "mvn-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the Java running Karaf (17) runs Maven too
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(PROCESS_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + PROCESS_TIMEOUT_S + " s:\n" + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " in " + dir + " exited with " + p.exitValue() + ":\n" + tail(log));
        }
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
    }
}
