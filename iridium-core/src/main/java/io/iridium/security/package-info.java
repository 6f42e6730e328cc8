/**
 * Network security: one network key secures everything.
 *
 * <ul>
 *   <li>{@link io.iridium.security.NetworkKey}: an EC P-256 private key and the network's
 *       self-signed certificate, written and read as PEM, with HKDF-derived subkeys. Holding the
 *       key is membership.
 *   <li>{@link io.iridium.security.TlsContexts}: TLS 1.3 contexts with mutual authentication
 *       pinned to the network certificate, for every data-plane connection.
 *   <li>{@link io.iridium.security.DatagramSealer}: AES-256-GCM sealing of membership and
 *       discovery datagrams, with freshness and replay checks; the envelope reveals nothing about
 *       which network it belongs to.
 * </ul>
 *
 * <pre>
 *            network key (PEM: PKCS#8 key + X.509 certificate)
 *               |                         |
 *               | private scalar          | certificate DER
 *               v                         v
 *   HKDF-SHA256(ikm = scalar, salt = SHA-256(cert), info = "iridium/v1/" + purpose)
 *               |                                      TLS 1.3, mutual auth,
 *               +--> "membership" -> AES-256-GCM       peer leaf == network cert
 *                    datagram sealer                   (TlsContexts)
 * </pre>
 *
 * <p>Only the certificate builder uses BouncyCastle (the JDK cannot write certificates). TLS
 * records are encrypted by BoringSSL where Netty's binding to it loads, by the JDK otherwise
 * ({@link io.iridium.security.TlsContexts#provider()}); the key derivation, the datagram sealer
 * and the trust decision are the JDK's own cryptography either way.
 */
package io.iridium.security;
