package io.chronofabric.quantum.statevector.internal;

import io.chronofabric.api.quantum.Circuit;
import io.chronofabric.api.quantum.NamedCircuit;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.apache.felix.fileinstall.ArtifactListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code deploy/<name>.qasm} becomes a {@link NamedCircuit} service named {@code <name>}: Karaf's
 * deployer (Felix FileInstall) hands each such file to this installer when it appears, changes or
 * goes. A file that does not parse is logged with its line and column and registers nothing until
 * it is fixed; a second file with a name already taken is refused.
 */
@Component(immediate = true, service = {ArtifactInstaller.class, ArtifactListener.class})
public final class QasmDeployer implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(QasmDeployer.class);

    private final Map<File, ServiceRegistration<NamedCircuit>> registered = new ConcurrentHashMap<>();
    private BundleContext context;

    @Activate
    void activate(BundleContext bc) {
        this.context = bc;
    }

    @Deactivate
    void deactivate() {
        registered.values().forEach(QasmDeployer::unregister);
        registered.clear();
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".qasm") && artifact.isFile();
    }

    @Override
    public synchronized void install(File artifact) {
        String name = nameOf(artifact);
        for (Map.Entry<File, ServiceRegistration<NamedCircuit>> e : registered.entrySet()) {
            if (!e.getKey().equals(artifact) && nameOf(e.getKey()).equals(name)) {
                LOG.error("Refused {}: a circuit named '{}' is already registered from {}", artifact, name, e.getKey());
                return;
            }
        }
        Circuit circuit;
        try {
            String source = Files.readString(artifact.toPath(), StandardCharsets.UTF_8);
            circuit = QasmParser.parse(artifact.getName(), source);
        } catch (IOException e) {
            LOG.error("Cannot read {}: {}", artifact, e.toString());
            return;
        } catch (IllegalArgumentException e) {
            LOG.error("Circuit '{}' not registered: {}", name, e.getMessage());
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(NamedCircuit.NAME_PROPERTY, name);
        props.put("circuit.qubits", circuit.qubits());
        props.put("circuit.source", artifact.getAbsolutePath());
        Deployed service = new Deployed(name, circuit, artifact.getAbsolutePath());
        ServiceRegistration<NamedCircuit> reg = context.registerService(NamedCircuit.class, service, props);
        unregister(registered.put(artifact, reg));
        LOG.info("Circuit '{}' registered from {}: {}", name, artifact, circuit);
    }

    @Override
    public synchronized void update(File artifact) {
        unregister(registered.remove(artifact));
        install(artifact);
    }

    @Override
    public synchronized void uninstall(File artifact) {
        ServiceRegistration<NamedCircuit> reg = registered.remove(artifact);
        if (reg != null) {
            unregister(reg);
            LOG.info("Circuit '{}' unregistered: {} is gone", nameOf(artifact), artifact);
        }
    }

    static String nameOf(File f) {
        String n = f.getName();
        return n.endsWith(".qasm") ? n.substring(0, n.length() - ".qasm".length()) : n;
    }

    private static void unregister(ServiceRegistration<?> reg) {
        if (reg != null) {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it as the bundle stopped
            }
        }
    }

    /** The registered service object. */
    record Deployed(String name, Circuit circuit, String source) implements NamedCircuit {
    }
}
