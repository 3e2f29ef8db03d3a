/**
 * Resource quantities ({@code 500m}, {@code 1Gi}, {@code 12e6}) as upstream parses and prints them.
 */
package dev.skiff.api.quantity;
