package dev.skiff.runtime.image;

import dev.skiff.runtime.AuthConfig;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.FilesystemUsage;
import dev.skiff.runtime.Image;
import dev.skiff.runtime.ImageFilter;
import dev.skiff.runtime.ImageService;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.PodSandboxConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The CRI image service over the node's {@link ImageStore} and a {@link RegistryClient}. */
public final class LocalImageService implements ImageService {
  private final ImageStore store;
  private final RegistryClient registry;
  private final Consumer<PullProgress> progress;

  public LocalImageService(
      ImageStore store, RegistryClient registry, Consumer<PullProgress> progress) {
    this.store = store;
    this.registry = registry;
    this.progress = progress;
  }

  /** A digest reference already present is not fetched again; a tag is always re-resolved. */
  @Override
  public String pullImage(ImageSpec image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
    if (image == null || image.image() == null || image.image().isBlank()) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT, "image name is empty");
    }
    ImageReference ref = ImageReference.parse(image.image());
    if (ref.digest() != null) {
      Optional<StoredImage> present = store.find(image.image());
      if (present.isPresent()) return present.get().id();
    }
    return registry.pull(ref, auth, store, progress).id();
  }

  /** Imports a {@code docker save} or OCI archive ({@code skiff images import}). */
  public List<Image> importArchive(Path archive) {
    return store.importArchive(archive).stream().map(LocalImageService::toCri).toList();
  }

  @Override
  public List<Image> listImages(ImageFilter filter) {
    if (filter != null && filter.image() != null)
      return imageStatus(filter.image()).map(List::of).orElse(List.of());
    return store.list().stream().map(LocalImageService::toCri).toList();
  }

  @Override
  public Optional<Image> imageStatus(ImageSpec image) {
    return store.find(image.image()).map(LocalImageService::toCri);
  }

  @Override
  public void removeImage(ImageSpec image) {
    store.remove(image.image());
  }

  @Override
  public List<FilesystemUsage> imageFsInfo() {
    long layers = store.list().stream().mapToLong(i -> i.diffIds().size()).sum();
    return List.of(
        new FilesystemUsage(
            System.currentTimeMillis() * 1_000_000L,
            store.root().toString(),
            store.usedBytes(),
            layers));
  }

  static Image toCri(StoredImage img) {
    String user = img.config().user();
    String name = user.contains(":") ? user.substring(0, user.indexOf(':')) : user;
    Long uid = null;
    String username = "";
    if (name.isEmpty()) uid = 0L;
    else if (name.chars().allMatch(Character::isDigit)) uid = Long.parseLong(name);
    else username = name;
    return new Image(img.id(), img.repoTags(), img.repoDigests(), img.size(), uid, username, false);
  }
}
