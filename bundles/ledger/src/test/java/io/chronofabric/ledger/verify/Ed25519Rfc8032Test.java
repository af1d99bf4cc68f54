package io.chronofabric.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 8032 section 7.1, TEST 1: the JDK's Ed25519 gives the published signature. */
class Ed25519Rfc8032Test {

    private static final HexFormat HEX = HexFormat.of();
    private static final String SECRET = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static final String SIGNATURE = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    @Test
    void test1SignsAndVerifiesAsPublished() throws Exception {
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        PrivateKey priv = kf.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, HEX.parseHex(SECRET)));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(priv);
        signer.update(new byte[0]);
        assertThat(HEX.formatHex(signer.sign())).isEqualTo(SIGNATURE);

        PublicKey pub = kf.generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point(HEX.parseHex(PUBLIC))));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(pub);
        verifier.update(new byte[0]);
        assertThat(verifier.verify(HEX.parseHex(SIGNATURE))).isTrue();
        verifier.initVerify(pub);
        verifier.update(new byte[] {1});
        assertThat(verifier.verify(HEX.parseHex(SIGNATURE))).isFalse();
    }

    /** RFC 8032 encoding: little-endian y with the sign of x in the top bit. */
    private static EdECPoint point(byte[] encoded) {
        byte[] le = encoded.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        return new EdECPoint(xOdd, new BigInteger(1, be));
    }
}
