package dev.skiff.apiserver.authz;

/** An authorizer's answer, as upstream's: allow, deny outright, or leave it to the next one. */
public enum Decision {
  ALLOW,
  DENY,
  NO_OPINION
}
