package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static dev.skiff.scheduler.Fixtures.scores;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.cache.NodeInfo;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageLocalityTest {
  private static NodeInfo withImage(String name, String image, long size) {
    return NodeInfo.of(
        node(
            name,
            b -> b.editStatus().withImages(new ContainerImage(List.of(image), size)).endStatus()));
  }

  @Test
  void nodeWithTheBigImagePreferredAndShortNamesMatch() {
    long mb = 1024 * 1024;
    NodeInfo has = withImage("has", "docker.io/library/nginx:latest", 500 * mb);
    NodeInfo lacks = NodeInfo.of(node("lacks"));
    var nodes = List.of(has, lacks);
    var p = pod("p", b -> b, new ContainerBuilder().withName("c").withImage("nginx").build());
    long[] s = scores(framework(nodes), ImageLocality.NAME, p, nodes);
    assertEquals(0, s[1]);
    // 500 MiB scaled by 1/2 of nodes having it: (250 - 23) / (1000 - 23) of 100.
    assertEquals(23, s[0]);
  }

  @Test
  void smallImagesDoNotCount() {
    NodeInfo has = withImage("has", "docker.io/library/busybox:latest", 2 * 1024 * 1024);
    var p = pod("p", b -> b, new ContainerBuilder().withName("c").withImage("busybox").build());
    long[] s = scores(framework(List.of(has)), ImageLocality.NAME, p, List.of(has));
    assertTrue(s[0] == 0, "below the 23 MB threshold");
  }
}
