package io.chronofabric.ledger.verify;

import java.util.List;

/** Lets tests in other packages reuse the reference vectors. */
public final class Rfc6962VectorsTestAccess {

    private Rfc6962VectorsTestAccess() {
    }

    public static Object[][] inclusion() {
        return Rfc6962VectorsTest.INCLUSION;
    }

    public static Object[][] consistency() {
        return Rfc6962VectorsTest.CONSISTENCY;
    }

    public static String[] leaves() {
        return Rfc6962VectorsTest.LEAVES.clone();
    }

    public static String[] roots() {
        return Rfc6962VectorsTest.ROOTS.clone();
    }

    public static List<byte[]> proof(String[] hex) {
        return Rfc6962VectorsTest.proof(hex);
    }
}
