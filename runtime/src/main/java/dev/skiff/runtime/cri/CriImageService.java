package dev.skiff.runtime.cri;

import dev.skiff.runtime.AuthConfig;
import dev.skiff.runtime.FilesystemUsage;
import dev.skiff.runtime.Image;
import dev.skiff.runtime.ImageFilter;
import dev.skiff.runtime.ImageService;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.cri.v1.ImageFsInfoRequest;
import dev.skiff.runtime.cri.v1.ImageStatusRequest;
import dev.skiff.runtime.cri.v1.ListImagesRequest;
import dev.skiff.runtime.cri.v1.PullImageRequest;
import dev.skiff.runtime.cri.v1.RemoveImageRequest;
import java.util.List;
import java.util.Optional;

/** {@link ImageService} over the CRI gRPC API: the runtime keeps the images. */
public final class CriImageService implements ImageService {
  private final CriConnection cri;

  public CriImageService(CriConnection cri) {
    this.cri = cri;
  }

  @Override
  public String pullImage(ImageSpec image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
    var request = PullImageRequest.newBuilder().setImage(ToCri.image(image));
    if (auth != null) request.setAuth(ToCri.auth(auth));
    if (sandboxConfig != null) request.setSandboxConfig(ToCri.sandbox(sandboxConfig));
    return cri.call(() -> cri.images().pullImage(request.build()), "PullImage").getImageRef();
  }

  @Override
  public List<Image> listImages(ImageFilter filter) {
    var request = ListImagesRequest.newBuilder();
    if (filter != null && filter.image() != null) {
      request.setFilter(
          dev.skiff.runtime.cri.v1.ImageFilter.newBuilder().setImage(ToCri.image(filter.image())));
    }
    return cri
        .call(() -> cri.images().listImages(request.build()), "ListImages")
        .getImagesList()
        .stream()
        .map(FromCri::image)
        .toList();
  }

  @Override
  public Optional<Image> imageStatus(ImageSpec image) {
    var request = ImageStatusRequest.newBuilder().setImage(ToCri.image(image)).build();
    var response = cri.call(() -> cri.images().imageStatus(request), "ImageStatus");
    return response.hasImage() ? Optional.of(FromCri.image(response.getImage())) : Optional.empty();
  }

  @Override
  public void removeImage(ImageSpec image) {
    var request = RemoveImageRequest.newBuilder().setImage(ToCri.image(image)).build();
    cri.call(() -> cri.images().removeImage(request), "RemoveImage");
  }

  @Override
  public List<FilesystemUsage> imageFsInfo() {
    return cri
        .call(
            () -> cri.images().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()), "ImageFsInfo")
        .getImageFilesystemsList()
        .stream()
        .map(FromCri::filesystem)
        .toList();
  }
}
