package dev.skiff.network.routes;

/** Another node's pod network and the node address that leads to it. */
public record NodeRoute(String podCidr, String nodeIp) {}
