package dev.skiff.api.registry;

import static dev.skiff.api.registry.ResourceBuilder.CREATE_ONLY;
import static dev.skiff.api.registry.ResourceBuilder.resource;
import static dev.skiff.api.registry.ResourceBuilder.verbs;

import dev.skiff.api.ResourceType;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.ComponentStatus;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.LocalSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.CSIDriver;
import io.fabric8.kubernetes.api.model.storage.CSINode;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import java.util.List;

/**
 * The resources kube-apiserver 1.32 serves by default, with its discovery facts (short names,
 * categories, verbs, subresources). Groups appear in upstream's {@code /apis} order; inside a
 * group-version resources are sorted by name, as upstream lists them.
 */
final class BuiltinResources {

  private BuiltinResources() {}

  /** Served groups in upstream order, versions preferred first; "" is the core group. */
  static final List<List<String>> GROUP_VERSIONS =
      List.of(
          List.of("", "v1"),
          List.of("apps", "v1"),
          List.of("events.k8s.io", "v1"),
          List.of("authentication.k8s.io", "v1"),
          List.of("authorization.k8s.io", "v1"),
          List.of("autoscaling", "v2", "v1"),
          List.of("batch", "v1"),
          List.of("certificates.k8s.io", "v1"),
          List.of("networking.k8s.io", "v1"),
          List.of("policy", "v1"),
          List.of("rbac.authorization.k8s.io", "v1"),
          List.of("storage.k8s.io", "v1"),
          List.of("scheduling.k8s.io", "v1"),
          List.of("coordination.k8s.io", "v1"),
          List.of("node.k8s.io", "v1"),
          List.of("discovery.k8s.io", "v1"),
          List.of("metrics.k8s.io", "v1beta1"));

  static List<ResourceType> all() {
    return List.of(
        resource("v1", "Binding", "bindings", Binding.class).verbs(CREATE_ONLY).build(),
        resource("v1", "ComponentStatus", "componentstatuses", ComponentStatus.class)
            .clusterScoped()
            .shortNames("cs")
            .verbs(verbs("get", "list"))
            .build(),
        resource("v1", "ConfigMap", "configmaps", ConfigMap.class).shortNames("cm").build(),
        resource("v1", "Endpoints", "endpoints", Endpoints.class).shortNames("ep").build(),
        resource("v1", "Event", "events", io.fabric8.kubernetes.api.model.Event.class)
            .shortNames("ev")
            .build(),
        resource("v1", "LimitRange", "limitranges", LimitRange.class).shortNames("limits").build(),
        resource("v1", "Namespace", "namespaces", Namespace.class)
            .clusterScoped()
            .shortNames("ns")
            .verbs(verbs("create", "delete", "get", "list", "patch", "update", "watch"))
            .subresources("finalize", "status")
            .build(),
        resource("v1", "Node", "nodes", Node.class)
            .clusterScoped()
            .shortNames("no")
            .subresources("proxy", "status")
            .build(),
        resource(
                "v1",
                "PersistentVolumeClaim",
                "persistentvolumeclaims",
                PersistentVolumeClaim.class)
            .shortNames("pvc")
            .subresources("status")
            .build(),
        resource("v1", "PersistentVolume", "persistentvolumes", PersistentVolume.class)
            .clusterScoped()
            .shortNames("pv")
            .subresources("status")
            .build(),
        resource("v1", "Pod", "pods", Pod.class)
            .shortNames("po")
            .inAll()
            .subresources(
                "attach",
                "binding",
                "ephemeralcontainers",
                "eviction",
                "exec",
                "log",
                "portforward",
                "proxy",
                "status")
            .build(),
        resource("v1", "PodTemplate", "podtemplates", PodTemplate.class).build(),
        resource(
                "v1",
                "ReplicationController",
                "replicationcontrollers",
                ReplicationController.class)
            .shortNames("rc")
            .inAll()
            .subresources("scale", "status")
            .build(),
        resource("v1", "ResourceQuota", "resourcequotas", ResourceQuota.class)
            .shortNames("quota")
            .subresources("status")
            .build(),
        resource("v1", "Secret", "secrets", Secret.class).build(),
        resource("v1", "ServiceAccount", "serviceaccounts", ServiceAccount.class)
            .shortNames("sa")
            .subresources("token")
            .build(),
        resource("v1", "Service", "services", Service.class)
            .shortNames("svc")
            .inAll()
            .subresources("proxy", "status")
            .build(),
        resource("apps/v1", "ControllerRevision", "controllerrevisions", ControllerRevision.class)
            .build(),
        resource("apps/v1", "DaemonSet", "daemonsets", DaemonSet.class)
            .shortNames("ds")
            .inAll()
            .subresources("status")
            .build(),
        resource("apps/v1", "Deployment", "deployments", Deployment.class)
            .shortNames("deploy")
            .inAll()
            .subresources("scale", "status")
            .build(),
        resource("apps/v1", "ReplicaSet", "replicasets", ReplicaSet.class)
            .shortNames("rs")
            .inAll()
            .subresources("scale", "status")
            .build(),
        resource("apps/v1", "StatefulSet", "statefulsets", StatefulSet.class)
            .shortNames("sts")
            .inAll()
            .subresources("scale", "status")
            .build(),
        resource(
                "events.k8s.io/v1",
                "Event",
                "events",
                io.fabric8.kubernetes.api.model.events.v1.Event.class)
            .shortNames("ev")
            .build(),
        resource(
                "authentication.k8s.io/v1",
                "SelfSubjectReview",
                "selfsubjectreviews",
                SelfSubjectReview.class)
            .clusterScoped()
            .verbs(CREATE_ONLY)
            .build(),
        resource("authentication.k8s.io/v1", "TokenReview", "tokenreviews", TokenReview.class)
            .clusterScoped()
            .verbs(CREATE_ONLY)
            .build(),
        resource(
                "authorization.k8s.io/v1",
                "LocalSubjectAccessReview",
                "localsubjectaccessreviews",
                LocalSubjectAccessReview.class)
            .verbs(CREATE_ONLY)
            .build(),
        resource(
                "authorization.k8s.io/v1",
                "SelfSubjectAccessReview",
                "selfsubjectaccessreviews",
                SelfSubjectAccessReview.class)
            .clusterScoped()
            .verbs(CREATE_ONLY)
            .build(),
        resource(
                "authorization.k8s.io/v1",
                "SelfSubjectRulesReview",
                "selfsubjectrulesreviews",
                SelfSubjectRulesReview.class)
            .clusterScoped()
            .verbs(CREATE_ONLY)
            .build(),
        resource(
                "authorization.k8s.io/v1",
                "SubjectAccessReview",
                "subjectaccessreviews",
                SubjectAccessReview.class)
            .clusterScoped()
            .verbs(CREATE_ONLY)
            .build(),
        resource(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                "horizontalpodautoscalers",
                io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class)
            .shortNames("hpa")
            .inAll()
            .subresources("status")
            .build(),
        resource(
                "autoscaling/v1",
                "HorizontalPodAutoscaler",
                "horizontalpodautoscalers",
                io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscaler.class)
            .shortNames("hpa")
            .inAll()
            .subresources("status")
            .storedAs("v2")
            .build(),
        resource("batch/v1", "CronJob", "cronjobs", CronJob.class)
            .shortNames("cj")
            .inAll()
            .subresources("status")
            .build(),
        resource("batch/v1", "Job", "jobs", Job.class).inAll().subresources("status").build(),
        resource(
                "certificates.k8s.io/v1",
                "CertificateSigningRequest",
                "certificatesigningrequests",
                CertificateSigningRequest.class)
            .clusterScoped()
            .shortNames("csr")
            .subresources("approval", "status")
            .build(),
        resource("networking.k8s.io/v1", "IngressClass", "ingressclasses", IngressClass.class)
            .clusterScoped()
            .build(),
        resource("networking.k8s.io/v1", "Ingress", "ingresses", Ingress.class)
            .shortNames("ing")
            .subresources("status")
            .build(),
        resource("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", NetworkPolicy.class)
            .shortNames("netpol")
            .build(),
        resource(
                "policy/v1",
                "PodDisruptionBudget",
                "poddisruptionbudgets",
                PodDisruptionBudget.class)
            .shortNames("pdb")
            .subresources("status")
            .build(),
        resource(
                "rbac.authorization.k8s.io/v1",
                "ClusterRoleBinding",
                "clusterrolebindings",
                ClusterRoleBinding.class)
            .clusterScoped()
            .build(),
        resource("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", ClusterRole.class)
            .clusterScoped()
            .build(),
        resource("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", RoleBinding.class)
            .build(),
        resource("rbac.authorization.k8s.io/v1", "Role", "roles", Role.class).build(),
        resource("storage.k8s.io/v1", "CSIDriver", "csidrivers", CSIDriver.class)
            .clusterScoped()
            .build(),
        resource("storage.k8s.io/v1", "CSINode", "csinodes", CSINode.class).clusterScoped().build(),
        resource("storage.k8s.io/v1", "StorageClass", "storageclasses", StorageClass.class)
            .clusterScoped()
            .shortNames("sc")
            .build(),
        resource(
                "storage.k8s.io/v1",
                "VolumeAttachment",
                "volumeattachments",
                VolumeAttachment.class)
            .clusterScoped()
            .subresources("status")
            .build(),
        resource("scheduling.k8s.io/v1", "PriorityClass", "priorityclasses", PriorityClass.class)
            .clusterScoped()
            .shortNames("pc")
            .build(),
        resource("coordination.k8s.io/v1", "Lease", "leases", Lease.class).build(),
        resource("node.k8s.io/v1", "RuntimeClass", "runtimeclasses", RuntimeClass.class)
            .clusterScoped()
            .build(),
        resource("discovery.k8s.io/v1", "EndpointSlice", "endpointslices", EndpointSlice.class)
            .build(),
        // Served from kubelet scrapes, never stored: the built-in metrics-server.
        resource("metrics.k8s.io/v1beta1", "NodeMetrics", "nodes", NodeMetrics.class)
            .clusterScoped()
            .verbs(verbs("get", "list"))
            .build(),
        resource("metrics.k8s.io/v1beta1", "PodMetrics", "pods", PodMetrics.class)
            .verbs(verbs("get", "list"))
            .build());
  }
}
