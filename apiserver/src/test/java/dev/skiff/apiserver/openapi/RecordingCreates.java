package dev.skiff.apiserver.openapi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Stands in for the resource endpoints in the kubectl test: every object is absent, and a POST
 * creates it by echoing the body. Records the query string of each POST so the test can see what
 * kubectl decided to send.
 */
final class RecordingCreates extends Handler.Abstract {
  final List<String> createQueries = new CopyOnWriteArrayList<>();

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (request.getMethod().equals("POST")) {
      String query = request.getHttpURI().getQuery();
      createQueries.add(query == null ? "" : query);
      String body = Content.Source.asString(request, StandardCharsets.UTF_8);
      response.setStatus(201);
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
    response.setStatus(404);
    String status =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\"not found\",\"reason\":\"NotFound\",\"code\":404}";
    response.write(true, ByteBuffer.wrap(status.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
