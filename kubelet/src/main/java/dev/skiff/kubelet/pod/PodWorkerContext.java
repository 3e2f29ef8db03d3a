package dev.skiff.kubelet.pod;

import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.kubelet.env.EnvResolver;
import dev.skiff.kubelet.events.EventRecorder;
import dev.skiff.kubelet.prober.ProberManager;
import dev.skiff.kubelet.status.StatusManager;
import dev.skiff.kubelet.volume.VolumeManager;
import dev.skiff.runtime.ContainerRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;

/** What every pod worker shares. */
public record PodWorkerContext(
    KubeletConfig config,
    KubernetesClient client,
    ContainerRuntime runtime,
    ImagePuller images,
    EventRecorder events,
    StatusManager status,
    EnvResolver env,
    VolumeManager volumes,
    ProberManager probers,
    LifecycleHooks hooks,
    PodCgroupCleaner cgroups,
    Admission admission,
    long nodeMemoryBytes) {}
