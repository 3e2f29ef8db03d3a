package dev.skiff.runtime.cgroups;

/**
 * A container's cpu (millicores) and memory (bytes) requests and limits; null means not set. As API
 * defaulting does, a missing request takes the limit's value.
 */
public record ResourceRequirements(
    Long cpuRequestMilli, Long cpuLimitMilli, Long memoryRequestBytes, Long memoryLimitBytes) {
  public static final ResourceRequirements NONE = new ResourceRequirements(null, null, null, null);

  public ResourceRequirements {
    if (cpuRequestMilli == null) cpuRequestMilli = cpuLimitMilli;
    if (memoryRequestBytes == null) memoryRequestBytes = memoryLimitBytes;
  }

  long cpuRequest() {
    return cpuRequestMilli == null ? 0 : cpuRequestMilli;
  }

  long memoryRequest() {
    return memoryRequestBytes == null ? 0 : memoryRequestBytes;
  }
}
