/**
 * Per-kind behaviour of the built-in resources, one strategy class per kind in a sub-package per
 * API group. A strategy sees objects as JSON trees in the resource's storage shape (see {@code
 * ResourceRegistry.storageType}) and follows upstream's defaulting, validation messages and {@code
 * kubectl get} columns. To give a kind rules of its own, extend {@link
 * dev.skiff.api.kinds.DefaultStrategy} and register the class in {@code
 * dev.skiff.api.registry.KindStrategies}.
 */
package dev.skiff.api.kinds;
