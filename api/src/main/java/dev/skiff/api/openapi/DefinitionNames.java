package dev.skiff.api.openapi;

import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's definition name of a fabric8 model class, e.g. {@code io.k8s.api.apps.v1.Deployment}
 * for {@code io.fabric8.kubernetes.api.model.apps.Deployment}: the Go package a class belongs to is
 * learnt from the registered resources living in the same Java package.
 */
final class DefinitionNames {
  private static final String FABRIC8 = "io.fabric8.kubernetes.api.model";
  private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

  /** Classes of fabric8's core package that upstream defines in apimachinery's meta/v1. */
  private static final Set<String> META_KINDS =
      Set.of(
          "ObjectMeta",
          "ListMeta",
          "OwnerReference",
          "ManagedFieldsEntry",
          "FieldsV1",
          "LabelSelector",
          "LabelSelectorRequirement",
          "Condition",
          "Status",
          "StatusDetails",
          "StatusCause",
          "DeleteOptions",
          "Preconditions",
          "MicroTime",
          "Time",
          "WatchEvent",
          "Patch",
          "APIResource",
          "APIResourceList",
          "APIGroup",
          "APIGroupList",
          "APIVersions",
          "GroupVersionForDiscovery",
          "ServerAddressByClientCIDR");

  private final Map<String, String> goPackages = new HashMap<>();

  DefinitionNames(ResourceRegistry registry) {
    for (ResourceType t : registry.all()) {
      if (t.javaType() == GenericKubernetesResource.class) {
        continue;
      }
      goPackages.putIfAbsent(
          t.javaType().getPackageName(), "io.k8s.api." + dir(t.group()) + "." + t.version());
    }
  }

  String of(Class<?> type) {
    if (type == Quantity.class) {
      return "io.k8s.apimachinery.pkg.api.resource.Quantity";
    }
    if (type == IntOrString.class) {
      return "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
    }
    String pkg = type.getPackageName();
    String simple = type.getSimpleName();
    if (pkg.equals(FABRIC8) && META_KINDS.contains(simple)) {
      return META + simple;
    }
    if (pkg.equals(FABRIC8) && simple.equals("RawExtension")) {
      return "io.k8s.apimachinery.pkg.runtime.RawExtension";
    }
    String goPackage = goPackages.get(pkg);
    if (goPackage == null) {
      goPackage =
          pkg.equals(FABRIC8)
              ? "io.k8s.api.core.v1"
              : pkg.startsWith(FABRIC8 + ".")
                  ? "io.k8s.api." + pkg.substring(FABRIC8.length() + 1)
                  : pkg;
    }
    return goPackage + "." + simple;
  }

  /** The directory of a group under k8s.io/api: its first DNS label, {@code core} for "". */
  static String dir(String group) {
    return group.isEmpty() ? "core" : group.split("\\.")[0];
  }
}
