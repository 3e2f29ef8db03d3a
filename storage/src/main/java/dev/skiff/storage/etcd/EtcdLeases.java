package dev.skiff.storage.etcd;

import io.etcd.jetcd.Lease;

/**
 * Hands out leases for keys with a TTL, sharing one lease among keys written close together as
 * kube-apiserver does: a lease is reused while its expiry lies within a small margin (5% of the
 * TTL, at most a minute) after the expiry asked for. Keys may live up to that margin longer; in
 * return a burst of Events costs one lease instead of one each.
 */
final class EtcdLeases {
  private static final long MAX_REUSE_SECONDS = 60;

  private final Lease client;
  private long leaseId;
  private long expiresAtMillis;

  EtcdLeases(Lease client) {
    this.client = client;
  }

  /** A lease that expires between {@code ttlSeconds} and the reuse margin from now; 0 for none. */
  long leaseFor(long ttlSeconds) {
    if (ttlSeconds == 0) {
      return 0;
    }
    long now = System.currentTimeMillis();
    long margin = Math.min(MAX_REUSE_SECONDS, ttlSeconds / 20);
    synchronized (this) {
      long left = expiresAtMillis - now;
      if (leaseId != 0 && left >= ttlSeconds * 1000 && left <= (ttlSeconds + margin) * 1000) {
        return leaseId;
      }
    }
    long granted = ttlSeconds + margin;
    long id = EtcdCalls.await(client.grant(granted), "lease grant").getID();
    synchronized (this) {
      leaseId = id;
      expiresAtMillis = now + granted * 1000;
    }
    return id;
  }
}
