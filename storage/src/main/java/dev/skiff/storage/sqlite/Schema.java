package dev.skiff.storage.sqlite;

/**
 * The SQL of the SQLite backend. One row per revision, as kine stores it: {@code id} is the
 * revision, {@code created}/{@code deleted} say what the write did, {@code prev_revision} points at
 * the row it replaced and {@code old_value} keeps that row's value so watch replay needs no join
 * for it. {@code expires_at} (epoch millis, 0 = never) lets TTLs survive a restart.
 */
final class Schema {
  private Schema() {}

  static final String[] CREATE = {
    """
    CREATE TABLE IF NOT EXISTS kine (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      created INTEGER NOT NULL,
      deleted INTEGER NOT NULL,
      create_revision INTEGER NOT NULL,
      prev_revision INTEGER NOT NULL,
      lease INTEGER NOT NULL,
      value BLOB NOT NULL,
      old_value BLOB,
      expires_at INTEGER NOT NULL DEFAULT 0)
    """,
    "CREATE INDEX IF NOT EXISTS kine_name_id ON kine (name, id)",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)"
  };

  /** AUTOINCREMENT remembers the largest id ever used, even after compaction removed it. */
  static final String MAX_REVISION =
      "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'kine'), 0)";

  static final String COMPACT_REVISION =
      "SELECT COALESCE((SELECT value FROM meta WHERE key = 'compact_revision'), 0)";

  static final String SET_COMPACT_REVISION =
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('compact_revision', ?)";

  static final String LATEST =
      "SELECT id, deleted, create_revision, lease, value FROM kine"
          + " WHERE name = ? ORDER BY id DESC LIMIT 1";

  static final String LATEST_AT =
      "SELECT id, deleted, create_revision, lease, value FROM kine"
          + " WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1";

  static final String INSERT =
      "INSERT INTO kine (id, name, created, deleted, create_revision, prev_revision, lease, value,"
          + " old_value, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /**
   * Compaction from revision ?1 (the previous compaction) to ?2 removes the rows a read at ?2 no
   * longer needs: every row replaced by a row in (?1, ?2], and the deletion markers in (?1, ?2].
   * Rows replaced at or before ?1 went in an earlier compaction, so the work is proportional to the
   * new history only.
   */
  static final String COMPACT_REPLACED =
      "DELETE FROM kine WHERE id IN (SELECT prev_revision FROM kine WHERE id > ?1 AND id <= ?2"
          + " AND prev_revision > 0)";

  static final String COMPACT_DELETED =
      "DELETE FROM kine WHERE id > ?1 AND id <= ?2 AND deleted = 1";

  static final String EXPIRING =
      "SELECT k.name, k.id, k.expires_at FROM kine k WHERE k.id IN (SELECT MAX(id) FROM kine"
          + " GROUP BY name) AND k.deleted = 0 AND k.expires_at > 0";

  /** The rows of the latest live version of each key in a range, as of a revision. */
  static String latestInRange(boolean bounded, boolean after, boolean limited) {
    return "SELECT k.id, k.name, k.create_revision, k.lease, k.value FROM kine k WHERE k.id IN"
        + latestIds(bounded, after)
        + " AND k.deleted = 0 ORDER BY k.name"
        + (limited ? " LIMIT ?" : "");
  }

  static String countInRange(boolean bounded) {
    return "SELECT COUNT(*) FROM kine k WHERE k.id IN"
        + latestIds(bounded, false)
        + " AND k.deleted = 0";
  }

  /** Parameters: lower bound, [upper bound], [start after], revision. */
  private static String latestIds(boolean bounded, boolean after) {
    return " (SELECT MAX(id) FROM kine WHERE name >= ?"
        + (bounded ? " AND name < ?" : "")
        + (after ? " AND name > ?" : "")
        + " AND id <= ? GROUP BY name)";
  }

  /** Parameters: after revision, up to revision, lower bound, [upper bound], limit. */
  static String history(boolean bounded) {
    return "SELECT k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision,"
        + " k.lease, k.value, k.old_value, p.lease FROM kine k LEFT JOIN kine p"
        + " ON p.id = k.prev_revision WHERE k.id > ? AND k.id <= ? AND k.name >= ?"
        + (bounded ? " AND k.name < ?" : "")
        + " ORDER BY k.id LIMIT ?";
  }

  /** The smallest string greater than every string starting with {@code prefix}, or null. */
  static String rangeEnd(String prefix) {
    for (int i = prefix.length() - 1; i >= 0; i--) {
      char c = prefix.charAt(i);
      if (c != Character.MAX_VALUE) {
        return prefix.substring(0, i) + (char) (c + 1);
      }
    }
    return null;
  }
}
