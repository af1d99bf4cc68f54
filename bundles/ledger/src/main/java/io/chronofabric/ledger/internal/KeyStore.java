package io.chronofabric.ledger.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * The ledger's Ed25519 key pair: generated on first start and kept as {@code ledger.key}
 * (PKCS#8, owner read/write only) and {@code ledger.pub} (X.509), or loaded from a configured
 * private key file.
 */
final class KeyStore {

    private KeyStore() {
    }

    static KeyPair loadOrCreate(Path dir, String configuredKeyPath) throws IOException, GeneralSecurityException {
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        Path keyFile = configuredKeyPath == null || configuredKeyPath.isBlank() ? dir.resolve("ledger.key") : Path.of(configuredKeyPath);
        Path pubFile = keyFile.resolveSibling(keyFile.getFileName().toString().replaceAll("\\.key$", "") + ".pub");
        if (Files.exists(keyFile)) {
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(keyFile)));
            if (!Files.exists(pubFile)) {
                throw new GeneralSecurityException("private key " + keyFile + " has no public key file " + pubFile);
            }
            PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pubFile)));
            return new KeyPair(pub, priv);
        }
        if (configuredKeyPath != null && !configuredKeyPath.isBlank()) {
            throw new GeneralSecurityException("configured key file " + keyFile + " does not exist");
        }
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.createDirectories(dir);
        writeOwnerOnly(keyFile, pair.getPrivate().getEncoded());
        Files.write(pubFile, pair.getPublic().getEncoded());
        return pair;
    }

    private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        try {
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("key file " + file + " appeared while creating it", e);
        }
        Files.write(file, bytes, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
