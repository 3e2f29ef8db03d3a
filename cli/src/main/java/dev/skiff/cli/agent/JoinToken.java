package dev.skiff.cli.agent;

import dev.skiff.cli.UserError;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A join token as {@code skiff token create} prints it, {@code K10<sha256 of the CA
 * certificate>::<id>.<secret>}, or the bare bootstrap token {@code <id>.<secret>} with the CA hash
 * given apart (kubeadm's {@code --discovery-token-ca-cert-hash sha256:<hex>}).
 *
 * @param caHash the lower-case hex SHA-256 the server's CA must match
 */
public record JoinToken(String id, String secret, String caHash) {
  private static final Pattern BOOTSTRAP = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
  private static final Pattern PREFIXED = Pattern.compile("K10([0-9a-fA-F]{64})::(.*)");
  private static final Pattern HASH = Pattern.compile("(?:sha256:)?([0-9a-fA-F]{64})");

  /**
   * Parses {@code token}, taking the CA hash from {@code caCertHash} when given (it must then agree
   * with the token's own), else from the token.
   */
  public static JoinToken parse(String token, String caCertHash) {
    String rest = token.trim();
    String fromToken = null;
    Matcher prefixed = PREFIXED.matcher(rest);
    if (prefixed.matches()) {
      fromToken = prefixed.group(1).toLowerCase(Locale.ROOT);
      rest = prefixed.group(2);
    }
    Matcher bootstrap = BOOTSTRAP.matcher(rest);
    if (!bootstrap.matches()) {
      throw new UserError(
          "the join token is not of the form K10<ca-hash>::<id>.<secret> or <id>.<secret>"
              + " (id: 6, secret: 16 characters of a-z and 0-9); get one with `skiff token create`"
              + " on the server");
    }
    String hash = fromToken;
    if (caCertHash != null && !caCertHash.isBlank()) {
      Matcher h = HASH.matcher(caCertHash.trim());
      if (!h.matches()) {
        throw new UserError("--ca-cert-hash \"" + caCertHash + "\" is not sha256:<64 hex digits>");
      }
      String given = h.group(1).toLowerCase(Locale.ROOT);
      if (fromToken != null && !fromToken.equals(given)) {
        throw new UserError(
            "--ca-cert-hash sha256:"
                + given
                + " disagrees with the CA hash in the token (sha256:"
                + fromToken
                + ")");
      }
      hash = given;
    }
    if (hash == null) {
      throw new UserError(
          "the join token carries no CA hash; pass --ca-cert-hash sha256:<hex> so the agent can"
              + " tell the real server from an impostor");
    }
    HexFormat.of().parseHex(hash);
    return new JoinToken(bootstrap.group(1), bootstrap.group(2), hash);
  }

  /** The bearer token the API server authenticates as {@code system:bootstrap:<id>}. */
  public String bearer() {
    return id + "." + secret;
  }
}
