package dev.skiff.apiserver.authz;

/** Decides whether a request's attributes are permitted. */
@FunctionalInterface
public interface Authorizer {
  Decision authorize(Attributes attributes);
}
