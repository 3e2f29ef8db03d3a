package dev.skiff.cli;

import dev.skiff.apiserver.auth.BootstrapTokens;
import dev.skiff.cli.host.DataDir;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skiff token}: bootstrap tokens for joining nodes, stored as upstream's {@code
 * bootstrap.kubernetes.io/token} Secrets in kube-system and printed in k3s's {@code K10<sha256 of
 * the CA certificate file>::<id>.<secret>} form, which lets an agent pin the CA.
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Manage bootstrap tokens that let nodes join the cluster.",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Delete.class
    })
final class TokenCommand extends CommandGroup {
  static final String NAMESPACE = "kube-system";
  static final String DEFAULT_GROUP = "system:bootstrappers:skiff:default-node-token";
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  /** Options every token subcommand takes. */
  static final class Cluster {
    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "The server's data dir (default: ${DEFAULT-VALUE}).")
    Path dataDir = DataDir.defaultPath();

    @Option(
        names = "--kubeconfig",
        paramLabel = "FILE",
        description = "Admin kubeconfig (default: <data-dir>/kubeconfig.yaml).")
    Path kubeconfig;

    KubernetesClient client() {
      Path file = kubeconfig != null ? kubeconfig : dataDir.resolve("kubeconfig.yaml");
      if (!Files.isRegularFile(file)) {
        throw new UserError("no admin kubeconfig at " + file + "; is the server set up here?");
      }
      try {
        return new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(file)))
            .build();
      } catch (IOException e) {
        throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    /** The SHA-256 of the cluster CA certificate file, as k3s's token prefix carries it. */
    String caHash() {
      Path ca = dataDir.resolve("tls").resolve("ca.crt");
      try {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(ca));
        return HexFormat.of().formatHex(d);
      } catch (IOException e) {
        throw new UserError("cannot read the cluster CA " + ca + ": " + e.getMessage(), e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a bootstrap token and print it in K10<ca-hash>::<id>.<secret> form.")
  static final class Create implements Runnable {
    @picocli.CommandLine.Mixin Cluster cluster;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "How long the token lives, e.g. 24h, 90m; 0 never expires (default: 24h).")
    String ttl = "24h";

    @Option(names = "--description", paramLabel = "TEXT", description = "A note for humans.")
    String description;

    @Override
    public void run() {
      Duration life = parseDuration(ttl);
      SecureRandom random = new SecureRandom();
      String id = randomString(random, 6);
      String secret = randomString(random, 16);
      Map<String, String> data = new LinkedHashMap<>();
      data.put("token-id", id);
      data.put("token-secret", secret);
      if (!life.isZero()) {
        data.put("expiration", Instant.now().plus(life).truncatedTo(ChronoUnit.SECONDS).toString());
      }
      data.put("usage-bootstrap-authentication", "true");
      data.put("usage-bootstrap-signing", "true");
      data.put("auth-extra-groups", DEFAULT_GROUP);
      if (description != null) {
        data.put("description", description);
      }
      Secret s =
          new SecretBuilder()
              .withNewMetadata()
              .withName(BootstrapTokens.SECRET_PREFIX + id)
              .withNamespace(NAMESPACE)
              .endMetadata()
              .withType(BootstrapTokens.SECRET_TYPE)
              .withStringData(data)
              .build();
      String hash = cluster.caHash();
      try (KubernetesClient client = cluster.client()) {
        client.secrets().inNamespace(NAMESPACE).resource(s).create();
      } catch (KubernetesClientException e) {
        throw new UserError("cannot create the token: " + e.getMessage(), e);
      }
      System.out.println("K10" + hash + "::" + id + "." + secret);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List bootstrap tokens.")
  static final class ListTokens implements Runnable {
    @picocli.CommandLine.Mixin Cluster cluster;

    @Override
    public void run() {
      String format = "%-24s%-8s%-22s%-24s%-26s%s%n";
      try (KubernetesClient client = cluster.client()) {
        boolean header = false;
        for (Secret s : client.secrets().inNamespace(NAMESPACE).list().getItems()) {
          if (!BootstrapTokens.SECRET_TYPE.equals(s.getType())) {
            continue;
          }
          if (!header) {
            System.out.printf(
                format, "TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS");
            header = true;
          }
          Map<String, String> d = decoded(s);
          String expires = d.getOrDefault("expiration", "");
          String usages =
              String.join(
                  ",",
                  d.keySet().stream()
                      .filter(k -> k.startsWith("usage-bootstrap-") && "true".equals(d.get(k)))
                      .map(k -> k.substring("usage-bootstrap-".length()))
                      .sorted()
                      .toList());
          System.out.printf(
              format,
              d.getOrDefault("token-id", "?") + "." + d.getOrDefault("token-secret", "?"),
              expires.isEmpty() ? "<forever>" : ttlLeft(expires),
              expires.isEmpty() ? "<never>" : expires,
              usages,
              d.getOrDefault("description", "<none>"),
              d.getOrDefault("auth-extra-groups", ""));
        }
      } catch (KubernetesClientException e) {
        throw new UserError("cannot list tokens: " + e.getMessage(), e);
      }
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete bootstrap tokens by id or whole token.")
  static final class Delete implements Runnable {
    @picocli.CommandLine.Mixin Cluster cluster;

    @Parameters(paramLabel = "TOKEN", arity = "1..*", description = "Token ids or tokens.")
    java.util.List<String> tokens;

    @Override
    public void run() {
      try (KubernetesClient client = cluster.client()) {
        for (String t : tokens) {
          String id = t.contains("::") ? t.substring(t.indexOf("::") + 2) : t;
          id = id.contains(".") ? id.substring(0, id.indexOf('.')) : id;
          if (!id.matches("[a-z0-9]{6}")) {
            throw new UserError("\"" + t + "\" is not a token id ([a-z0-9]{6}) or a token");
          }
          var deleted =
              client
                  .secrets()
                  .inNamespace(NAMESPACE)
                  .withName(BootstrapTokens.SECRET_PREFIX + id)
                  .delete();
          if (deleted.isEmpty()) {
            throw new UserError("bootstrap token \"" + id + "\" not found");
          }
          System.out.println("bootstrap token \"" + id + "\" deleted");
        }
      } catch (KubernetesClientException e) {
        throw new UserError("cannot delete the token: " + e.getMessage(), e);
      }
    }
  }

  static Map<String, String> decoded(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static String ttlLeft(String expiration) {
    try {
      Duration left = Duration.between(Instant.now(), Instant.parse(expiration));
      if (left.isNegative()) {
        return "<invalid>";
      }
      return left.toHours() > 0 ? left.toHours() + "h" : left.toMinutes() + "m";
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(h|m|s)");

  /** A Go-style duration such as {@code 24h} or {@code 1h30m}; {@code 0} is no expiry. */
  static Duration parseDuration(String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION_PART.matcher(text);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
              });
      end = m.end();
    }
    if (end != text.length() || end == 0) {
      throw new UserError("--ttl \"" + text + "\": want a duration such as 24h, 90m or 0");
    }
    return d;
  }

  private static String randomString(SecureRandom random, int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }
}
