package dev.skiff.storage;

import java.util.List;

/**
 * A page of a prefix listing, read at one consistent {@code revision}.
 *
 * @param more true when keys beyond the page exist; continue with {@code startAfter} = last key
 * @param count total number of keys under the prefix at {@code revision}
 */
public record RangeResult(List<KeyValue> kvs, long revision, boolean more, long count) {}
