/**
 * Upstream's field checks (names, labels, annotations, selectors, counts and percentages) with its
 * exact wording, returning {@link dev.skiff.api.FieldError}s that become the causes of a 422.
 */
package dev.skiff.api.validation;
