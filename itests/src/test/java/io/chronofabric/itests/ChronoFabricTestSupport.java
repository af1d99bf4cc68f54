package io.chronofabric.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.security.auth.Subject;
import org.apache.karaf.features.BootFinished;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the ChronoFabric distribution built by this reactor (path in system property
 * {@code chronofabric.distribution}) and offers console and service helpers.
 */
public abstract class ChronoFabricTestSupport {

    protected static final long SERVICE_TIMEOUT_MS = 30_000;

    /** The web port given to the container (chosen free in the test JVM; read back there from itest.web.port). */
    protected static final int WEB_PORT = Integer.getInteger("itest.web.port", freePort());

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            return 18181;
        }
    }

    /** GETs a path from the container's web port; returns the body (throws on a status other than 200). */
    protected static String httpGet(String path) throws java.io.IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + WEB_PORT + path)
                .openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        int code = c.getResponseCode();
        if (code != 200) {
            throw new java.io.IOException("GET " + path + " answered " + code);
        }
        try (java.io.InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    // waits until every boot feature is installed
    @Inject
    protected BootFinished bootFinished;

    @Configuration
    public Option[] config() {
        String distribution = System.getProperty("chronofabric.distribution");
        if (distribution == null || !new File(distribution).isFile()) {
            throw new IllegalStateException("System property chronofabric.distribution must name the built distribution tar.gz, got "
                    + distribution + " (run the tests through Maven from the top level)");
        }
        String karafVersion = System.getProperty("karaf.version", "4.4.10");
        String localRepo = System.getProperty("org.ops4j.pax.url.mvn.localRepository", "");
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl("file:" + new File(distribution).getAbsolutePath())
                    .karafVersion(karafVersion)
                    .name("ChronoFabric")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.WARN),
            systemTimeout(180_000),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", "0"),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", "0"),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", "0"),
            editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "updateSnapshots", "none"),
            // the web port (Pax Web boots with /metrics): a free one per container, not 8181
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", Integer.toString(WEB_PORT)),
            org.ops4j.pax.exam.CoreOptions.systemProperty("itest.web.port").value(Integer.toString(WEB_PORT)),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", localRepo),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/branding.properties", "welcome", ""),
            mavenBundle().groupId("org.apache.servicemix.bundles").artifactId("org.apache.servicemix.bundles.hamcrest").versionAsInProject(),
            // the JVM options bin/karaf adds on Java 9+, which Pax Exam does not
            new VMOption("--add-reads=java.xml=java.logging"),
            new VMOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
            new VMOption("--patch-module"),
            new VMOption("java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar"),
            new VMOption("--patch-module"),
            new VMOption("java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar"),
            new VMOption("--add-opens"), new VMOption("java.base/java.security=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.net=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.lang=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.util=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.naming/javax.naming.spi=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED"),
            new VMOption("--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
            // Agrona/Aeron (feature chronofabric-cluster): what the distribution's bin/setenv adds
            new VMOption("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"),
            new VMOption("--add-opens=java.base/java.util.zip=ALL-UNNAMED"),
            // the Vector API for the compute CPU backend: what the distribution's bin/setenv adds
            new VMOption("--add-modules=jdk.incubator.vector"),
            new VMOption("-classpath"),
            new VMOption("lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*"),
        };
    }

    /** Runs a console command as an admin and returns what it printed. */
    protected String execute(String command) throws Exception {
        waitForCommand(command.split(" ")[0]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, out, out);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("karaf"));
        subject.getPrincipals().add(new RolePrincipal("admin"));
        try {
            Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> {
                Object result = session.execute(command);
                if (result != null) {
                    out.println(result);
                }
                return null;
            });
        } finally {
            out.flush();
            session.close();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Runs a command that must fail; returns the failure's message. */
    protected String executeExpectingError(String command) throws Exception {
        try {
            String out = execute(command);
            throw new AssertionError("Command '" + command + "' should have failed but printed:\n" + out);
        } catch (AssertionError e) {
            throw e;
        } catch (java.security.PrivilegedActionException e) {
            return String.valueOf(e.getCause().getMessage());
        } catch (Exception e) {
            return String.valueOf(e.getMessage());
        }
    }

    private void waitForCommand(String name) throws InterruptedException {
        String scope = name.contains(":") ? name.substring(0, name.indexOf(':')) : "*";
        String function = name.contains(":") ? name.substring(name.indexOf(':') + 1) : name;
        long end = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            boolean found = sessionFactory.getRegistry().getCommands().stream()
                    .anyMatch(c -> c.getScope().equals(scope) && c.getName().equals(function));
            if (found || scope.equals("*")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Command " + name + " was not registered within " + SERVICE_TIMEOUT_MS + " ms");
    }

    protected static void assertContains(String text, String fragment) {
        org.junit.Assert.assertTrue("Expected '" + fragment + "' in:\n" + text, text.contains(fragment));
    }

    /** Polls {@code condition} until it holds or the service timeout passes. */
    protected static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        waitFor(condition, () -> what);
    }

    /** As {@link #waitFor(java.util.function.BooleanSupplier, String)}, the description made at the time out. */
    protected static void waitFor(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long end = System.currentTimeMillis() + SERVICE_TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            sleep(50);
        }
        throw new AssertionError("Timed out waiting for " + what.get());
    }

    /** Waits for a service and returns it (the tracker stays open for the test's duration). */
    protected <T> T service(Class<T> type) throws InterruptedException {
        return service(type, null);
    }

    protected <T> T service(Class<T> type, String filter) throws InterruptedException {
        ServiceTracker<T, T> tracker;
        try {
            tracker = filter == null
                    ? new ServiceTracker<>(bundleContext, type, null)
                    : new ServiceTracker<>(bundleContext, FrameworkUtil.createFilter(
                            "(&(objectClass=" + type.getName() + ")" + filter + ")"), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        tracker.open(true);
        T svc = tracker.waitForService(SERVICE_TIMEOUT_MS);
        if (svc == null) {
            throw new AssertionError("No " + type.getName() + (filter == null ? "" : " " + filter) + " service within "
                    + SERVICE_TIMEOUT_MS + " ms");
        }
        return svc;
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("No bundle " + symbolicName + " is installed");
    }

    protected static void sleep(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String mavenUrl(String group, String artifact) {
        return maven(group, artifact).versionAsInProject().getURL();
    }
}
