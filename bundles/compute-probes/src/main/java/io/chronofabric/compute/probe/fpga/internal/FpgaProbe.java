package io.chronofabric.compute.probe.fpga.internal;

import io.chronofabric.api.compute.BackendKind;
import io.chronofabric.api.compute.ComputeBackend;
import io.chronofabric.compute.probe.common.Probe;
import io.chronofabric.compute.probe.common.ProbeBackend;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.LoggerFactory;

/**
 * FPGA: Xilinx/AMD XDMA or XRT device nodes (/dev/xdma*, /dev/xclmgmt*, /dev/dri/renderD* with
 * /opt/xilinx/xrt) or an Intel FPGA OpenCL ICD (/etc/OpenCL/vendors/*fpga*, *altera*, *intel*fpga*).
 */
@Component(service = ComputeBackend.class, immediate = true, property = ComputeBackend.KIND_PROPERTY + "=FPGA")
public final class FpgaProbe extends ProbeBackend {

    private final Probe probe;

    public FpgaProbe() {
        this(new Probe());
    }

    FpgaProbe(Probe probe) {
        this.probe = probe;
    }

    @Activate
    void activate() {
        probe();
        LoggerFactory.getLogger(FpgaProbe.class).info("{}", describe());
    }

    @Override
    public BackendKind kind() {
        return BackendKind.FPGA;
    }

    @Override
    protected Probe.Finding find() {
        List<String> found = new ArrayList<>(probe.list("/dev", "xdma"));
        found.addAll(probe.list("/dev", "xclmgmt"));
        if (probe.exists("/opt/xilinx/xrt")) {
            found.add("/opt/xilinx/xrt");
        }
        for (String icd : probe.list("/etc/OpenCL/vendors", "")) {
            String n = icd.toLowerCase();
            if (n.contains("fpga") || n.contains("altera")) {
                found.add(icd);
            }
        }
        if (found.isEmpty()) {
            return new Probe.Finding("none", "no /dev/xdma*, /dev/xclmgmt*, /opt/xilinx/xrt or FPGA OpenCL ICD (no FPGA board or runtime)");
        }
        return new Probe.Finding(String.join(", ", found), "FPGA runtime present (" + found
                + "), but this build has no FPGA bitstream flow");
    }
}
