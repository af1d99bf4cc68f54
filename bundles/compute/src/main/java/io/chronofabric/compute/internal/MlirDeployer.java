package io.chronofabric.compute.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.CompiledModule;
import io.chronofabric.api.compute.ComputeFunction;
import io.chronofabric.api.compute.ExecutionResult;
import io.chronofabric.api.compute.FunctionSignature;
import io.chronofabric.api.compute.MlirRuntime;
import io.chronofabric.api.compute.ModuleSource;
import io.chronofabric.api.compute.Tensor;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.apache.felix.fileinstall.ArtifactListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code deploy/<name>.mlir} becomes one {@link ComputeFunction} service per {@code func.func}
 * of the module, named {@code <name>.<function>}: Karaf's deployer (Felix FileInstall) hands
 * each such file to this installer when it appears, changes or goes. The module is compiled by
 * the runtime with its preferred backends; a file that does not compile is logged with the
 * error (line and column) and registers nothing until it is fixed; removing the file
 * unregisters the services and releases the module.
 */
@Component(immediate = true, service = {ArtifactInstaller.class, ArtifactListener.class})
public final class MlirDeployer implements ArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(MlirDeployer.class);

    private record Deployment(CompiledModule module, List<ServiceRegistration<ComputeFunction>> registrations, String text) {
    }

    private final Map<File, Deployment> deployed = new ConcurrentHashMap<>();
    private final MlirRuntime runtime;
    private final BundleContext context;

    @Activate
    public MlirDeployer(@Reference MlirRuntime runtime, BundleContext context) {
        this.runtime = runtime;
        this.context = context;
        // FileInstall hands files it has already seen only to the installers present at the time: after a restart
        // of this bundle (or of the runtime it needs) nothing would come, so the deploy folder is read once here
        // (a file FileInstall hands over as well is not compiled twice)
        String base = System.getProperty("karaf.base");
        if (base != null) {
            File[] files = new File(base, "deploy").listFiles((dir, name) -> name.endsWith(".mlir"));
            if (files != null) {
                for (File f : files) {
                    if (canHandle(f)) {
                        install(f);
                    }
                }
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        deployed.values().forEach(MlirDeployer::undeploy);
        deployed.clear();
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".mlir") && artifact.isFile();
    }

    @Override
    public synchronized void install(File artifact) {
        String base = nameOf(artifact);
        String text;
        try {
            text = Files.readString(artifact.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.error("Cannot read {}: {}", artifact, e.toString());
            return;
        }
        Deployment already = deployed.get(artifact);
        if (already != null && already.text().equals(text)) {
            return;
        }
        CompiledModule module;
        try {
            module = runtime.compile(new ModuleSource(base, "mlir", text));
        } catch (RuntimeException e) {
            LOG.error("Compute module '{}' from {} not registered: {}", base, artifact, e.getMessage());
            return;
        }
        List<ServiceRegistration<ComputeFunction>> regs = new ArrayList<>();
        for (FunctionSignature f : module.functions()) {
            String name = base + "." + f.name();
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(ComputeFunction.NAME_PROPERTY, name);
            props.put(ComputeFunction.SOURCE_PROPERTY, artifact.getAbsolutePath());
            props.put("compute.function.signature", f.toString());
            regs.add(context.registerService(ComputeFunction.class, new Deployed(name, f, module, runtime), props));
        }
        undeploy(deployed.put(artifact, new Deployment(module, regs, text)));
        LOG.info("Compute module '{}' from {} compiled on {}: {} function service(s) {}", base, artifact, module.backend(),
                regs.size(), module.functions());
    }

    @Override
    public synchronized void update(File artifact) {
        undeploy(deployed.remove(artifact));
        install(artifact);
    }

    @Override
    public synchronized void uninstall(File artifact) {
        Deployment d = deployed.remove(artifact);
        if (d != null) {
            undeploy(d);
            LOG.info("Compute module '{}' unregistered: {} is gone", nameOf(artifact), artifact);
        }
    }

    static String nameOf(File f) {
        String n = f.getName();
        return n.endsWith(".mlir") ? n.substring(0, n.length() - ".mlir".length()) : n;
    }

    private static void undeploy(Deployment d) {
        if (d == null) {
            return;
        }
        for (ServiceRegistration<?> reg : d.registrations()) {
            try {
                reg.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it as the bundle stopped
            }
        }
        d.module().release();
    }

    /** The registered service object. */
    record Deployed(String name, FunctionSignature signature, CompiledModule module, MlirRuntime runtime)
            implements ComputeFunction {

        @Override
        public BackendKind backend() {
            return module.backend();
        }

        @Override
        public CompletionStage<ExecutionResult> call(List<Tensor> arguments) {
            return runtime.execute(module, signature.name(), arguments);
        }
    }
}
