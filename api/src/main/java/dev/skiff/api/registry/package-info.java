/**
 * The built-in resource registry: what kube-apiserver 1.32 serves (groups, versions, discovery
 * facts), which strategy each resource uses, and the conversions between served versions that share
 * storage (autoscaling/v1 and v2 HorizontalPodAutoscalers; core and events.k8s.io Events).
 */
package dev.skiff.api.registry;
