package io.iridium.security;

/**
 * Holds the well-known development key (network {@code "dev"}), parsed once on first use. The
 * PEM below is deliberately public: dev-mode nodes use it so that they need no setup, and since
 * everyone has it, it secures nothing. Its certificate differs from every real network's, so a
 * dev node can never join a real network. Never replace it with a key that matters.
 */
final class DevelopmentKey {

    static final String PEM = """
            -----BEGIN PRIVATE KEY-----
            MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCB3Iq/i1HmbREs2bMMe
            /6Mux9NwOQxZJ8ppA0xvSKrleg==
            -----END PRIVATE KEY-----
            -----BEGIN CERTIFICATE-----
            MIIBOTCB4KADAgECAhBFka531TwoW2Wb7pmT9QNnMAoGCCqGSM49BAMCMB4xHDAa
            BgNVBAMME2lyaWRpdW0gbmV0d29yayBkZXYwIBcNMjYxMTI1MDI1MjUwWhgPOTk5
            OTEyMzEyMzU5NTlaMB4xHDAaBgNVBAMME2lyaWRpdW0gbmV0d29yayBkZXYwWTAT
            BgcqhkjOPQIBBggqhkjOPQMBBwNCAARqCfatqTPTDhpJbkfz69NRhyUISwFwpPUB
            EZuGO4QXYQicwNt449iQLaYsg9Ed7ovHjE6mvoy4x6dZkucysrAZMAoGCCqGSM49
            BAMCA0gAMEUCIHN7kE6EgtqeCYdlQ5zwMC+pOwEreXU4LwEvGVAFMcFnAiEAx6lH
            QwK8D1kLZjEOQVG05LgU9oS0rRfMrauL5+S3PFo=
            -----END CERTIFICATE-----
            """;

    static final NetworkKey KEY = NetworkKey.parse(PEM, "the development key");

    private DevelopmentKey() {}
}
