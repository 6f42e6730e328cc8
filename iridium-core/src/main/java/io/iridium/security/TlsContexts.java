package io.iridium.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * TLS contexts for data-plane connections: TLS 1.3 only, with mutual authentication pinned to
 * the network certificate.
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
 *
 * <p><b>Provider.</b> Where Netty's BoringSSL binding loads (the {@code netty-tcnative} native
 * library, shipped for Linux and macOS on x86-64 and ARM64 and for Windows on x86-64), contexts
 * use it; elsewhere, or with
 * {@code -Diridium.tls.provider=jdk}, they use the JDK's provider. Both speak the same TLS 1.3 and
 * interoperate: a node on one talks to a node on the other. BoringSSL is chosen because it
 * measured faster where encryption is the bound (fan-out to four subscribers: 1.2-1.6× in an A/B;
 * tunnel throughput; BENCHMARKS.md); the trust decision is {@link PinnedTrustManager} either way.
 */
public final class TlsContexts {

    /** The only protocol offered or accepted. */
    public static final String PROTOCOL = "TLSv1.3";

    /** System property naming the provider: {@code jdk} forces the JDK's; anything else picks the best. */
    public static final String PROVIDER_PROPERTY = "iridium.tls.provider";

    private TlsContexts() {}

    /**
     * The provider contexts are built on: BoringSSL where it loads, unless {@value #PROVIDER_PROPERTY}
     * is {@code jdk}; the JDK's otherwise.
     *
     * @return {@link SslProvider#OPENSSL} or {@link SslProvider#JDK}
     */
    public static SslProvider provider() {
        if ("jdk".equalsIgnoreCase(System.getProperty(PROVIDER_PROPERTY))) {
            return SslProvider.JDK;
        }
        return OpenSsl.isAvailable() && SslProvider.isTlsv13Supported(SslProvider.OPENSSL) ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /**
     * The context for accepted connections.
     *
     * @param key the network key: presented to clients, and the only certificate accepted from them
     * @return a server context requiring a client certificate
     * @throws IllegalStateException if the provider cannot build a TLS 1.3 context for the key
     */
    public static SslContext server(NetworkKey key) {
        return server(key, provider());
    }

    /**
     * The context for accepted connections, on a given provider.
     *
     * @param key the network key: presented to clients, and the only certificate accepted from them
     * @param provider {@link SslProvider#JDK} or {@link SslProvider#OPENSSL}
     * @return a server context requiring a client certificate
     * @throws IllegalStateException if the provider cannot build a TLS 1.3 context for the key
     */
    public static SslContext server(NetworkKey key, SslProvider provider) {
        Objects.requireNonNull(key, "key");
        return build(provider, SslContextBuilder.forServer(key.privateKey(), key.certificate())
                .clientAuth(ClientAuth.REQUIRE), key);
    }

    /**
     * The context for dialled connections.
     *
     * @param key the network key: presented to servers, and the only certificate accepted from them
     * @return a client context
     * @throws IllegalStateException if the provider cannot build a TLS 1.3 context for the key
     */
    public static SslContext client(NetworkKey key) {
        return client(key, provider());
    }

    /**
     * The context for dialled connections, on a given provider.
     *
     * @param key the network key: presented to servers, and the only certificate accepted from them
     * @param provider {@link SslProvider#JDK} or {@link SslProvider#OPENSSL}
     * @return a client context
     * @throws IllegalStateException if the provider cannot build a TLS 1.3 context for the key
     */
    public static SslContext client(NetworkKey key, SslProvider provider) {
        Objects.requireNonNull(key, "key");
        return build(provider, SslContextBuilder.forClient()
                .keyManager(key.privateKey(), key.certificate())
                .endpointIdentificationAlgorithm(null), key);
    }

    private static SslContext build(SslProvider provider, SslContextBuilder builder, NetworkKey key) {
        try {
            return builder.sslProvider(provider)
                    .protocols(PROTOCOL)
                    .trustManager(new PinnedTrustManager(key.certificate()))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(
                    "cannot build a " + PROTOCOL + " context on " + provider + " for " + key, e);
        }
    }
}
