package dev.skiff.controllers.podautoscaler;

import java.time.Duration;
import java.time.Instant;

/**
 * One pod's usage of one resource from the resource metrics API: the sum over its containers, in
 * thousandths (millicores, millibytes), with the sample's time and window.
 */
public record PodMetric(long milliValue, Instant timestamp, Duration window) {}
