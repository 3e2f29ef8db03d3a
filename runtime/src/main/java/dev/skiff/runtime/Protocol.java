package dev.skiff.runtime;

/** Transport protocol of a port mapping. */
public enum Protocol {
  TCP,
  UDP,
  SCTP
}
