package io.iridium.security;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one certificate: a peer is accepted if and only if the leaf of the chain it
 * presents is byte-for-byte the network certificate (compared in constant time). No path
 * building, no validity period, no host name: the certificate is the network's identity and
 * possessing its private key (proved by the TLS handshake signature) is membership.
 *
 * <p>It extends {@link X509ExtendedTrustManager} so that the JDK calls it directly rather than
 * wrapping it in a manager that would add endpoint identification and PKIX algorithm checks. The
 * same instance serves the server side (checking clients) and the client side (checking servers).
 * Stateless and thread-safe. {@link #getAcceptedIssuers()} names the network certificate, so a
 * server's certificate request tells clients which certificate to present.
 */
final class PinnedTrustManager extends X509ExtendedTrustManager {

    private final X509Certificate pinned;
    private final byte[] pinnedDer;
    private final String pinnedFingerprint;

    PinnedTrustManager(X509Certificate pinned) {
        this.pinned = pinned;
        try {
            this.pinnedDer = pinned.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the network certificate", e);
        }
        this.pinnedFingerprint = HexFormat.of().formatHex(NetworkKey.sha256(pinnedDer));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, "client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, "server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, "client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, "server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, "client");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, "server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {pinned};
    }

    private void check(X509Certificate[] chain, String peer) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the " + peer + " presented no certificate");
        }
        byte[] leaf = chain[0].getEncoded();
        if (!MessageDigest.isEqual(leaf, pinnedDer)) {
            throw new CertificateException("the " + peer + "'s certificate (sha256:"
                    + HexFormat.of().formatHex(NetworkKey.sha256(leaf)).substring(0, 16)
                    + ") is not this network's (sha256:" + pinnedFingerprint.substring(0, 16)
                    + "): it holds another network key");
        }
    }
}
