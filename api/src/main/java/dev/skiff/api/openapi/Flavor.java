package dev.skiff.api.openapi;

/** Where the two OpenAPI versions differ in how they spell the same thing. */
enum Flavor {
  V2("#/definitions/"),
  V3("#/components/schemas/");

  final String refPrefix;

  Flavor(String refPrefix) {
    this.refPrefix = refPrefix;
  }
}
