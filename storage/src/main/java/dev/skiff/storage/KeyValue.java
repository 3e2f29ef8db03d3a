package dev.skiff.storage;

/**
 * One key at one revision, as etcd's mvccpb.KeyValue.
 *
 * @param createRevision revision at which the key was (last) created
 * @param modRevision revision of the last write to the key; the compare-and-swap token
 * @param lease TTL lease id, 0 when the key does not expire
 */
public record KeyValue(
    String key, byte[] value, long createRevision, long modRevision, long lease) {}
