package io.chronofabric.quantum.statevector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.quantum.NamedCircuit;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

class QasmDeployerTest {

    private static final String BELL = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n";

    /** What the fake framework holds: service object to its properties. */
    private final Map<Object, Dictionary<String, ?>> services = new LinkedHashMap<>();

    private BundleContext fakeContext() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (p, m, args) -> {
            if (m.getName().equals("registerService")) {
                Object service = args[1];
                @SuppressWarnings("unchecked")
                Dictionary<String, ?> props = (Dictionary<String, ?>) args[2];
                services.put(service, props);
                return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class}, (p2, m2, a2) -> {
                    if (m2.getName().equals("unregister")) {
                        services.remove(service);
                    }
                    return null;
                });
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    @Test
    void shouldRegisterAQasmFileAsANamedCircuitAndFollowItsChanges(@TempDir Path dir) throws Exception {
        QasmDeployer d = new QasmDeployer();
        d.activate(fakeContext());
        File f = dir.resolve("bell.qasm").toFile();
        Files.writeString(f.toPath(), BELL);
        assertThat(d.canHandle(f)).isTrue();
        assertThat(d.canHandle(dir.resolve("bell.txt").toFile())).isFalse();
        d.install(f);
        assertThat(services).hasSize(1);
        NamedCircuit c = (NamedCircuit) services.keySet().iterator().next();
        assertThat(c.name()).isEqualTo("bell");
        assertThat(c.circuit().qubits()).isEqualTo(2);
        assertThat(services.get(c).get(NamedCircuit.NAME_PROPERTY)).isEqualTo("bell");

        // a broken edit unregisters it (logged with line and column); fixing it registers it again
        Files.writeString(f.toPath(), BELL.replace("h q[0];", "hh q[0];"));
        d.update(f);
        assertThat(services).isEmpty();
        Files.writeString(f.toPath(), BELL.replace("qreg q[2];\ncreg c[2];", "qreg q[3];\ncreg c[3];"));
        d.update(f);
        assertThat(((NamedCircuit) services.keySet().iterator().next()).circuit().qubits()).isEqualTo(3);

        // the same name from another folder is refused; removing the file removes the service
        Path other = Files.createDirectory(dir.resolve("other"));
        File twin = other.resolve("bell.qasm").toFile();
        Files.writeString(twin.toPath(), BELL);
        d.install(twin);
        assertThat(services).hasSize(1);
        d.uninstall(f);
        assertThat(services).isEmpty();
        d.deactivate();
    }
}
