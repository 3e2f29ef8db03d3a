package dev.skiff.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubectl commands people use day to day, run with the real kubectl against {@code skiff
 * server} (control plane and controllers, no node: pods stay Pending, objects behave), asserting
 * what kubectl prints.
 */
class KubectlCommandsTest {
  @TempDir static Path tmp;
  private static SkiffProcess server;
  private static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    Path data = tmp.resolve("data");
    server = SkiffProcess.server(tmp.resolve("server.log"), data, SkiffProcess.freePort());
    server.awaitOutput(SkiffProcess.SERVER_READY, Duration.ofSeconds(90));
    kubectl = new Kubectl(data.resolve("kubeconfig.yaml"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String ok(String... args) throws Exception {
    Kubectl.Result r = kubectl.run(args);
    assertEquals(0, r.exitCode(), "kubectl " + String.join(" ", args) + ":\n" + r.output());
    return r.output();
  }

  private static String okWithInput(String stdin, String... args) throws Exception {
    Kubectl.Result r = kubectl.runWithInput(stdin, args);
    assertEquals(0, r.exitCode(), "kubectl " + String.join(" ", args) + ":\n" + r.output());
    return r.output();
  }

  /** {@code kubectl patch} of one object with a patch of that type (json, merge, strategic). */
  private static String patch(String ns, String kind, String name, String type, String body)
      throws Exception {
    return ok("-n", ns, "patch", kind, name, "--type=" + type, "-p", body);
  }

  private static String namespace(String name) throws Exception {
    assertEquals("namespace/" + name + " created\n", ok("create", "namespace", name));
    return name;
  }

  private static String deployment(String ns, String name, int replicas, String extraLabel) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
        + name
        + "\n  namespace: "
        + ns
        + "\n  labels:\n    app: "
        + name
        + "\n"
        + extraLabel
        + "spec:\n  replicas: "
        + replicas
        + "\n  selector:\n    matchLabels:\n      app: "
        + name
        + "\n  template:\n    metadata:\n      labels:\n        app: "
        + name
        + "\n    spec:\n      containers:\n      - name: main\n        image: busybox:1.36\n";
  }

  @Test
  void createPrintsWhatItMadeForEachKind() throws Exception {
    String ns = namespace("create-kinds");
    assertEquals(
        "configmap/cfg created\n",
        ok("-n", ns, "create", "configmap", "cfg", "--from-literal=a=1"));
    assertEquals(
        "secret/sec created\n",
        ok("-n", ns, "create", "secret", "generic", "sec", "--from-literal=p=x"));
    assertEquals(
        "deployment.apps/web created\n",
        ok("-n", ns, "create", "deployment", "web", "--image=busybox:1.36", "--replicas=2"));
    assertEquals(
        "job.batch/once created\n",
        ok("-n", ns, "create", "job", "once", "--image=busybox:1.36", "--", "true"));
    assertEquals(
        "cronjob.batch/tick created\n",
        ok(
            "-n",
            ns,
            "create",
            "cronjob",
            "tick",
            "--image=busybox:1.36",
            "--schedule=*/5 * * * *",
            "--",
            "date"));
    assertEquals(
        "service/websvc created\n",
        ok("-n", ns, "create", "service", "clusterip", "websvc", "--tcp=80:8080"));
    assertEquals(
        "resourcequota/q created\n", ok("-n", ns, "create", "quota", "q", "--hard=pods=10,cpu=4"));
    assertEquals(
        "role.rbac.authorization.k8s.io/reader created\n",
        ok("-n", ns, "create", "role", "reader", "--verb=get,list", "--resource=pods"));
    assertEquals(
        "rolebinding.rbac.authorization.k8s.io/rb created\n",
        ok("-n", ns, "create", "rolebinding", "rb", "--role=reader", "--user=alice"));
    assertEquals("serviceaccount/bot created\n", ok("-n", ns, "create", "serviceaccount", "bot"));
    String token = ok("-n", ns, "create", "token", "bot").trim();
    assertEquals(3, token.split("\\.").length, token);

    String cronjobs = ok("-n", ns, "get", "cronjob");
    assertTrue(
        cronjobs.startsWith(
            "NAME   SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n"
                + "tick   */5 * * * *   <none>     False     0        <none>          "),
        cronjobs);
    String quota = ok("-n", ns, "describe", "quota", "q");
    assertTrue(quota.matches("(?s).*Resource\\s+Used\\s+Hard\n.*"), quota);
    assertTrue(quota.matches("(?s).*pods\\s+\\d+\\s+10.*"), quota);
    String role = ok("-n", ns, "describe", "role", "reader");
    assertTrue(role.matches("(?s).*pods\\s+\\[\\]\\s+\\[\\]\\s+\\[get list\\].*"), role);
    String binding = ok("-n", ns, "describe", "rolebinding", "rb");
    assertTrue(binding.matches("(?s).*User\\s+alice.*"), binding);
    String service = ok("-n", ns, "describe", "service", "websvc");
    assertTrue(service.matches("(?s).*TargetPort:\\s+8080/TCP.*"), service);
  }

  @Test
  void getPrintsColumnsPathsAndSelections() throws Exception {
    String ns = namespace("get-forms");
    ok("-n", ns, "create", "configmap", "one", "--from-literal=k=v");
    ok("-n", ns, "create", "configmap", "two", "--from-literal=k=w");
    ok("-n", ns, "label", "configmap", "two", "tier=back");
    assertEquals(
        "NAME   VALUE\none    v\ntwo    w\n",
        ok(
            "-n",
            ns,
            "get",
            "configmaps",
            "one",
            "two",
            "-o",
            "custom-columns=NAME:.metadata.name,VALUE:.data.k"));
    assertEquals("v", ok("-n", ns, "get", "configmap", "one", "-o", "jsonpath={.data.k}"));
    assertEquals(
        "configmap/two\n", ok("-n", ns, "get", "configmaps", "-l", "tier=back", "-o", "name"));
    assertEquals(
        "configmap/one\n",
        ok("-n", ns, "get", "configmaps", "--field-selector=metadata.name=one", "-o", "name"));
    String all = ok("get", "configmaps", "-A", "--field-selector=metadata.name=two");
    assertTrue(all.startsWith("NAMESPACE   NAME   DATA   AGE\nget-forms   two    1      "), all);
    String yaml = ok("-n", ns, "get", "configmap", "one", "-o", "yaml");
    assertTrue(yaml.contains("\ndata:\n  k: v\n"), yaml);
    assertFalse(yaml.contains("managedFields"), "kubectl hides managed fields: " + yaml);
  }

  @Test
  void serverSideApplyOwnsFieldsAndReportsConflicts() throws Exception {
    String ns = namespace("ssa");
    String two = deployment(ns, "web", 2, "");
    assertEquals("deployment.apps/web created\n", okWithInput(two, "apply", "-f", "-"));

    Kubectl.Result conflict =
        kubectl.runWithInput(
            deployment(ns, "web", 3, ""),
            "apply",
            "--server-side",
            "--field-manager=ci",
            "-f",
            "-");
    assertEquals(1, conflict.exitCode(), conflict.output());
    assertTrue(
        conflict
            .output()
            .startsWith(
                "error: Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\""
                    + " using apps/v1: .spec.replicas\n"),
        conflict.output());

    assertEquals(
        "deployment.apps/web serverside-applied (server dry run)\n",
        okWithInput(
            deployment(ns, "web", 3, ""),
            "apply",
            "--server-side",
            "--force-conflicts",
            "--field-manager=ci",
            "--dry-run=server",
            "-f",
            "-"));
    assertEquals("2", ok("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"));

    assertEquals(
        "deployment.apps/web serverside-applied\n",
        okWithInput(
            deployment(ns, "web", 3, ""),
            "apply",
            "--server-side",
            "--force-conflicts",
            "--field-manager=ci",
            "-f",
            "-"));
    assertEquals("3", ok("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"));
    String managers =
        ok(
            "-n",
            ns,
            "get",
            "deploy",
            "web",
            "--show-managed-fields",
            "-o",
            "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}");
    assertTrue(managers.contains("ci/Apply"), managers);
    assertTrue(managers.contains("kubectl-client-side-apply/Update"), managers);

    // kubectl itself takes over what its own client-side apply set, without a conflict.
    assertEquals(
        "deployment.apps/web serverside-applied\n",
        okWithInput(deployment(ns, "web", 3, ""), "apply", "--server-side", "-f", "-"));
  }

  @Test
  void applyPrunesRemovedFieldsBothWays() throws Exception {
    String ns = namespace("prune");
    String labelled = deployment(ns, "web", 1, "    tier: front\n");
    String plain = deployment(ns, "web", 1, "");
    assertEquals("deployment.apps/web created\n", okWithInput(labelled, "apply", "-f", "-"));
    assertEquals("deployment.apps/web configured\n", okWithInput(plain, "apply", "-f", "-"));
    assertEquals("deployment.apps/web unchanged\n", okWithInput(plain, "apply", "-f", "-"));
    assertEquals(
        "{\"app\":\"web\"}",
        ok("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.metadata.labels}"));

    String ssa = deployment(ns, "ssa", 1, "    tier: front\n");
    okWithInput(ssa, "apply", "--server-side", "-f", "-");
    okWithInput(deployment(ns, "ssa", 1, ""), "apply", "--server-side", "-f", "-");
    assertEquals(
        "{\"app\":\"ssa\"}",
        ok("-n", ns, "get", "deploy", "ssa", "-o", "jsonpath={.metadata.labels}"));
  }

  @Test
  void changeCommandsSayWhatTheyDid() throws Exception {
    String ns = namespace("changes");
    ok("-n", ns, "create", "deployment", "web", "--image=busybox:1.36");
    assertEquals(
        "deployment.apps/web image updated\n",
        ok("-n", ns, "set", "image", "deploy/web", "busybox=busybox:1.37"));
    assertEquals(
        "deployment.apps/web env updated\n", ok("-n", ns, "set", "env", "deploy/web", "MODE=prod"));
    assertEquals(
        "deployment.apps/web resource requirements updated\n",
        ok("-n", ns, "set", "resources", "deploy/web", "--limits=cpu=200m,memory=64Mi"));
    assertEquals(
        "{\"env\":[{\"name\":\"MODE\",\"value\":\"prod\"}],\"image\":\"busybox:1.37\","
            + "\"imagePullPolicy\":\"IfNotPresent\",\"name\":\"busybox\",\"resources\":{\"limits\":"
            + "{\"cpu\":\"200m\",\"memory\":\"64Mi\"}},\"terminationMessagePath\":\"/dev/termination-log\","
            + "\"terminationMessagePolicy\":\"File\"}",
        ok("-n", ns, "get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[0]}"));
    assertEquals("deployment.apps/web labeled\n", ok("-n", ns, "label", "deploy", "web", "t=1"));
    assertEquals(
        "deployment.apps/web annotated\n", ok("-n", ns, "annotate", "deploy", "web", "n=1"));
    assertEquals(
        "deployment.apps/web scaled\n", ok("-n", ns, "scale", "deploy", "web", "--replicas=3"));
    assertEquals(
        "deployment.apps/web patched\n",
        patch(
            ns,
            "deploy",
            "web",
            "json",
            "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":1}]"));
    assertEquals(
        "deployment.apps/web patched\n",
        patch(ns, "deploy", "web", "merge", "{\"spec\":{\"replicas\":2}}"));
    assertEquals(
        "deployment.apps/web patched (no change)\n",
        ok("-n", ns, "patch", "deploy", "web", "-p", "{\"spec\":{\"replicas\":2}}"));

    String cm =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: "
            + ns
            + "\ndata:\n  a: \"1\"\n";
    okWithInput(cm, "create", "-f", "-");
    assertEquals(
        "configmap/cfg replaced\n",
        okWithInput(cm.replace("\"1\"", "\"2\""), "replace", "-f", "-"));

    Path editor = tmp.resolve("editor.sh");
    Files.writeString(editor, "#!/bin/sh\nsed -i 's/a: \"2\"/a: \"3\"/' \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
    Kubectl.Result edit = withEnv("EDITOR", editor.toString(), "-n", ns, "edit", "cm", "cfg");
    assertEquals(0, edit.exitCode(), edit.output());
    assertEquals("configmap/cfg edited\n", edit.output());
    assertEquals("3", ok("-n", ns, "get", "cm", "cfg", "-o", "jsonpath={.data.a}"));

    Kubectl.Result diff = kubectl.runWithInput(cm.replace("\"1\"", "\"4\""), "diff", "-f", "-");
    assertEquals(1, diff.exitCode(), "diff exits 1 when something differs: " + diff.output());
    assertTrue(diff.output().contains("\n-  a: \"3\"\n+  a: \"4\"\n"), diff.output());
    assertFalse(diff.output().contains("annotations"), diff.output());
  }

  @Test
  void waitAndDeleteFollowConditionsAndCascades() throws Exception {
    String ns = namespace("lifecycle");
    ok("-n", ns, "create", "deployment", "web", "--image=busybox:1.36");
    assertEquals(
        "deployment.apps/web condition met\n",
        ok("-n", ns, "wait", "--for=condition=Available=False", "deploy/web", "--timeout=60s"));

    ok("-n", ns, "create", "configmap", "held");
    patch(ns, "cm", "held", "merge", "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}");
    assertEquals(
        "configmap \"held\" deleted\n", ok("-n", ns, "delete", "cm", "held", "--wait=false"));
    Path log = tmp.resolve("wait.log");
    Process waiting =
        start(log, "-v=6", "-n", ns, "wait", "--for=delete", "cm/held", "--timeout=60s");
    try {
      awaitLog(log, "watch=true");
      patch(ns, "cm", "held", "merge", "{\"metadata\":{\"finalizers\":null}}");
      assertTrue(waiting.waitFor(90, TimeUnit.SECONDS), "wait --for=delete returns");
      String out = new String(waiting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, waiting.exitValue(), out);
      assertEquals("configmap/held condition met\n", out);
    } finally {
      waiting.destroyForcibly();
    }

    ok("-n", ns, "wait", "--for=jsonpath={.status.replicas}=1", "deploy/web", "--timeout=60s");
    assertEquals(
        "deployment.apps \"web\" deleted\n",
        ok("-n", ns, "delete", "deploy", "web", "--cascade=foreground", "--timeout=60s"));
    assertEquals("No resources found in lifecycle namespace.\n", ok("-n", ns, "get", "rs,deploy"));
  }

  @Test
  void deletingANamespaceEmptiesItAndReleasesServiceAddresses() throws Exception {
    String ns = namespace("doomed");
    ok("-n", ns, "create", "service", "clusterip", "svc", "--tcp=80:80");
    String ip = ok("-n", ns, "get", "svc", "svc", "-o", "jsonpath={.spec.clusterIP}");
    ok("-n", ns, "create", "configmap", "content");
    assertEquals("namespace \"doomed\" deleted\n", ok("delete", "namespace", ns, "--timeout=120s"));
    Kubectl.Result gone = kubectl.run("get", "namespace", ns);
    assertEquals("Error from server (NotFound): namespaces \"doomed\" not found\n", gone.output());

    String reuse =
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: reuse\n  namespace: default\n"
            + "spec:\n  clusterIP: "
            + ip
            + "\n  ports:\n  - port: 80\n";
    assertEquals("service/reuse created\n", okWithInput(reuse, "create", "-f", "-"));
    ok("delete", "service", "reuse", "-n", "default");
  }

  @Test
  void authAndDiscoveryCommands() throws Exception {
    assertEquals("yes\n", ok("auth", "can-i", "create", "pods"));
    String list = ok("auth", "can-i", "--list", "-n", "default");
    assertTrue(
        list.startsWith(
            "Resources                                       Non-Resource URLs   Resource Names  "
                + " Verbs\n*.*"),
        list);
    String whoami = ok("auth", "whoami");
    assertTrue(whoami.startsWith("ATTRIBUTE   VALUE\nUsername    "), whoami);
    assertTrue(ok("api-versions").contains("apps/v1\n"));
    String resources = ok("api-resources", "--api-group=apps");
    assertTrue(
        resources.matches("(?s).*\ndeployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment\n.*"),
        resources);
    String explain = ok("explain", "deployment.spec.replicas");
    assertTrue(explain.contains("FIELD: replicas <integer>"), explain);
  }

  private static Kubectl.Result withEnv(String name, String value, String... args)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", kubectl.kubeconfig().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put(name, value);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl " + String.join(" ", args) + " hung");
    return new Kubectl.Result(p.exitValue(), out);
  }

  /** Starts kubectl in the background; what it logs (stderr) goes to {@code log}. */
  private static Process start(Path log, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of("kubectl", "--kubeconfig", kubectl.kubeconfig().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    p.getOutputStream().close();
    return p;
  }

  /** Waits (at most a minute) until kubectl has logged {@code text}, e.g. that it watches. */
  private static void awaitLog(Path log, String text) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!(Files.exists(log) && Files.readString(log).contains(text))) {
      if (System.nanoTime() > end) {
        throw new AssertionError("kubectl never logged " + text + ":\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
  }
}
