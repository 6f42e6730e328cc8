package io.iridium.bench.worker;

import io.iridium.security.NetworkKey;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The tunnel workload's baseline: a plain JDK TLS 1.3 socket, mutually authenticated with the
 * same network key (private key and self-signed certificate) that secures the Iridium nodes, so
 * that both carry the same handshake and the same record encryption.
 */
final class TlsSockets {
    private TlsSockets() {}

    /** A TLS 1.3 context whose key and only trusted certificate are {@code key}'s. */
    static SSLContext context(NetworkKey key) throws Exception {
        char[] password = "bench".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("network", key.privateKey(), password, new Certificate[] {key.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("network", key.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);

        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
