package io.chronofabric.clogic.drpp.internal.algo;

import java.util.SplittableRandom;

/** Test access to the seeded Gaussian generator. */
public final class KsgTransferEntropyAccess {

    private KsgTransferEntropyAccess() {
    }

    public static double gaussian(SplittableRandom r) {
        return KsgTransferEntropy.gaussian(r);
    }
}
