package dev.skiff.kubelet.server;

import java.security.KeyStore;

/**
 * TLS for the kubelet's server: its serving certificate, and the CA whose client certificates (the
 * API server's, above all) may call it; other callers are refused in the handshake.
 */
public record ServingTls(KeyStore keyStore, char[] keyPassword, KeyStore clientCa) {}
