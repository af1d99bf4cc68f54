package io.chronofabric.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.ComputeBackend;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

class PortStatesTest {

    @Test
    void shouldShowAnUnavailableBackendWithItsReasonAndAMissingClusterAsOptional() {
        ComputeBackend cuda = Fakes.port(ComputeBackend.class, Map.of("isAvailable", () -> false,
                "unavailableReason", () -> Optional.of("no libcuda.so.1"), "kind", () -> BackendKind.CUDA));
        ServiceReference<?> ref = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (p, m, a) -> switch (m.getName()) {
                    case "getProperty" -> "component.name".equals(a[0]) ? "cuda-probe" : null;
                    case "compareTo" -> 0;
                    case "hashCode" -> 1;
                    case "equals" -> p == a[0];
                    default -> null;
                });
        BundleContext ctx = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {BundleContext.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getAllServiceReferences" -> a[0].equals(ComputeBackend.class.getName()) ? new ServiceReference<?>[] {ref} : null;
                    case "getService" -> cuda;
                    case "ungetService" -> true;
                    default -> null;
                });

        List<Sources.PortState> states = DashboardComponent.portStates(ctx);

        assertThat(states).contains(new Sources.PortState("compute", "cuda-probe", "UNAVAILABLE", "no libcuda.so.1"));
        assertThat(states).filteredOn(s -> s.port().equals("consensus")).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("OPTIONAL"));
        assertThat(states).filteredOn(s -> s.port().equals("bus")).singleElement()
                .satisfies(s -> assertThat(s.status()).isEqualTo("ABSENT"));
    }
}
