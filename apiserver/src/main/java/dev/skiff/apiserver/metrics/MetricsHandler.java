package dev.skiff.apiserver.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics}: the process registry in the Prometheus text format, so the controllers and
 * scheduler running in this JVM show there too. Access is the non-resource URL {@code /metrics}, as
 * upstream's {@code system:monitoring} grants it.
 */
public final class MetricsHandler extends Handler.Abstract {
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public MetricsHandler() {
    super(InvocationType.BLOCKING);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws IOException {
    String path = Request.getPathInContext(request);
    if (!path.equals("/metrics") || !request.getMethod().equals("GET")) {
      return false;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, ApiServerMetrics.registry().scrape());
    response.setStatus(200);
    response.getHeaders().put("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
    response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
    return true;
  }
}
