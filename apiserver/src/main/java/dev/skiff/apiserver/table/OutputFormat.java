package dev.skiff.apiserver.table;

import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.MediaType;
import java.util.List;

/** How a read is rendered, chosen from the Accept header in the client's order of preference. */
public enum OutputFormat {
  OBJECT,
  TABLE,
  PARTIAL_METADATA;

  public static OutputFormat negotiate(List<MediaType> accept) {
    for (MediaType m : accept) {
      if (!m.isJsonCompatible() && !m.isYaml()) {
        // Protobuf and other encodings are not served; JSON later in the list is.
        continue;
      }
      String as = m.param("as");
      if (as.isEmpty()) {
        return OBJECT;
      }
      if (!m.param("g").equals("meta.k8s.io")) {
        continue;
      }
      String v = m.param("v");
      if (as.equals("Table") && (v.equals("v1") || v.equals("v1beta1"))) {
        return TABLE;
      }
      if ((as.equals("PartialObjectMetadata") || as.equals("PartialObjectMetadataList"))
          && (v.equals("v1") || v.equals("v1beta1"))) {
        return PARTIAL_METADATA;
      }
    }
    throw ApiException.notAcceptable();
  }
}
