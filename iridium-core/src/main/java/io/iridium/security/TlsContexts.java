package io.iridium.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * TLS contexts for data-plane connections: TLS 1.3 only, on the JDK's provider, with mutual
 * authentication pinned to the network certificate.
 *
 * <pre>
 *   client                                   server
 *     | -- ClientHello ---------------------> |
 *     | &lt;- ServerHello, CertificateRequest,  |  server presents the network certificate
 *     |    Certificate, CertificateVerify ---  |
 *     |  client: leaf == network cert?         |  (PinnedTrustManager, else alert)
 *     | -- Certificate, CertificateVerify --> |  client presents the network certificate
 *     |                                       |  server: leaf == network cert? (else alert)
 * </pre>
 *
 * <p>Both sides present the same certificate and prove they hold its private key; both accept a
 * peer only if its leaf certificate is the network certificate byte for byte. A client without a
 * certificate is refused ({@link ClientAuth#REQUIRE}). There is no host name verification: peers
 * are identified by holding the key, not by address. Contexts are immutable and thread-safe; make
 * one of each per node and create an {@code SslHandler} per connection from it.
 */
public final class TlsContexts {

    /** The only protocol offered or accepted. */
    public static final String PROTOCOL = "TLSv1.3";

    private TlsContexts() {}

    /**
     * The context for accepted connections.
     *
     * @param key the network key: presented to clients, and the only certificate accepted from them
     * @return a server context requiring a client certificate
     * @throws IllegalStateException if the JDK cannot build a TLS 1.3 context for the key
     */
    public static SslContext server(NetworkKey key) {
        Objects.requireNonNull(key, "key");
        return build(SslContextBuilder.forServer(key.privateKey(), key.certificate())
                .clientAuth(ClientAuth.REQUIRE), key);
    }

    /**
     * The context for dialled connections.
     *
     * @param key the network key: presented to servers, and the only certificate accepted from them
     * @return a client context
     * @throws IllegalStateException if the JDK cannot build a TLS 1.3 context for the key
     */
    public static SslContext client(NetworkKey key) {
        Objects.requireNonNull(key, "key");
        return build(SslContextBuilder.forClient()
                .keyManager(key.privateKey(), key.certificate())
                .endpointIdentificationAlgorithm(null), key);
    }

    private static SslContext build(SslContextBuilder builder, NetworkKey key) {
        try {
            return builder.sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOL)
                    .trustManager(new PinnedTrustManager(key.certificate()))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a " + PROTOCOL + " context for " + key, e);
        }
    }
}
