package io.chronofabric.ledger.verify;

import io.chronofabric.api.ledger.SignedTreeHead;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/** Checks the Ed25519 signature of a signed tree head (JDK crypto only). Thread-safe. */
public final class TreeHeadVerifier {

    private TreeHeadVerifier() {
    }

    public static boolean verify(SignedTreeHead head, PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(head.signedBytes());
            return s.verify(head.signature());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Reads an Ed25519 public key in X.509 (SubjectPublicKeyInfo) DER form, as the ledger exports it. */
    public static PublicKey publicKey(byte[] x509Der) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509Der));
    }
}
