package dev.skiff.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.ContainerRuntimeException;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  @Test
  void normalisesLikeDocker() {
    assertEquals("docker.io/library/busybox:1.35", ImageReference.parse("busybox:1.35").tagged());
    assertEquals("docker.io/library/busybox:latest", ImageReference.parse("busybox").tagged());
    assertEquals(
        "docker.io/grafana/grafana:latest", ImageReference.parse("grafana/grafana").tagged());
    assertEquals("localhost:5000/app:v1", ImageReference.parse("localhost:5000/app:v1").tagged());
    var r = ImageReference.parse("127.0.0.1:5000/team/app@sha256:" + "a".repeat(64));
    assertEquals("127.0.0.1:5000", r.registry());
    assertEquals("team/app", r.repository());
    assertEquals(null, r.tag());
    assertEquals("127.0.0.1:5000/team/app@sha256:" + "a".repeat(64), r.toString());
  }

  @Test
  void recognisesIds() {
    assertTrue(ImageReference.isId("sha256:" + "b".repeat(64)));
    assertTrue(ImageReference.isId("b".repeat(64)));
    assertFalse(ImageReference.isId("busybox"));
  }

  @Test
  void rejectsInvalidNames() {
    var e = assertThrows(ContainerRuntimeException.class, () -> ImageReference.parse("Busybox:1"));
    assertEquals("invalid image reference \"Busybox:1\": invalid repository name", e.getMessage());
    assertThrows(ContainerRuntimeException.class, () -> ImageReference.parse("busybox@sha256:zz"));
    assertThrows(ContainerRuntimeException.class, () -> ImageReference.parse(""));
  }
}
