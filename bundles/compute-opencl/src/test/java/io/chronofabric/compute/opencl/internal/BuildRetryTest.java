package io.chronofabric.compute.opencl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildRetryTest {

    @Test
    void shouldRetryOnlyAKernelCacheFailureNotACompileError() {
        // the log of the failure seen in a fresh-clone CI run on PoCL
        assertThat(OpenClDevice.isCacheRace("error: <invalid loc>: unable to rename temporary '/root/.cache/pocl/kcache/tempfile_CqwK9y"
                + ".preproc-819ad9c7.cl.tmp' to output file '/root/.cache/pocl/kcache/tempfile_CqwK9y.preproc.cl': 'No such file or directory'"))
                .isTrue();
        assertThat(OpenClDevice.isCacheRace("<source>:3:5: error: use of undeclared identifier 'y'")).isFalse();
    }
}
