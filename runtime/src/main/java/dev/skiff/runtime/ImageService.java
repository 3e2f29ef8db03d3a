package dev.skiff.runtime;

import java.util.List;
import java.util.Optional;

/** The CRI image service. */
public interface ImageService {
  /** Pulls an image (if not present at that digest) and returns its image reference (id). */
  String pullImage(ImageSpec image, AuthConfig auth, PodSandboxConfig sandboxConfig);

  List<Image> listImages(ImageFilter filter);

  /** Empty when the image is not present (not an error, as in CRI). */
  Optional<Image> imageStatus(ImageSpec image);

  /** Removes an image; removing an absent image succeeds, as in CRI. */
  void removeImage(ImageSpec image);

  List<FilesystemUsage> imageFsInfo();
}
