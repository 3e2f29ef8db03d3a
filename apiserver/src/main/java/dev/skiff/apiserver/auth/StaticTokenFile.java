package dev.skiff.apiserver.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Upstream's {@code --token-auth-file}: CSV lines {@code token,user,uid,"group1,group2"}, read once
 * at start.
 */
public final class StaticTokenFile implements TokenAuthenticator {
  private final Map<String, UserInfo> tokens;

  private StaticTokenFile(Map<String, UserInfo> tokens) {
    this.tokens = tokens;
  }

  public static StaticTokenFile load(Path file) throws IOException {
    Map<String, UserInfo> tokens = new HashMap<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> cols = csv(line);
      if (cols.size() < 3 || cols.get(0).isEmpty() || cols.get(1).isEmpty()) {
        throw new IOException(
            file + " line " + lineNo + ": want token,user,uid[,\"group1,group2\"]");
      }
      List<String> groups = new ArrayList<>();
      if (cols.size() > 3) {
        for (String g : cols.get(3).split(",")) {
          if (!g.isBlank()) {
            groups.add(g.trim());
          }
        }
      }
      groups.add(UserInfo.AUTHENTICATED);
      tokens.put(cols.get(0), new UserInfo(cols.get(1), cols.get(2), groups, Map.of()));
    }
    return new StaticTokenFile(tokens);
  }

  private static List<String> csv(String line) {
    List<String> cols = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : line.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cols.add(cur.toString().trim());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    cols.add(cur.toString().trim());
    return cols;
  }

  @Override
  public Optional<UserInfo> authenticate(String token) {
    for (var e : tokens.entrySet()) {
      // Constant-time comparison: the token is a password.
      if (MessageDigest.isEqual(
          e.getKey().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }
}
