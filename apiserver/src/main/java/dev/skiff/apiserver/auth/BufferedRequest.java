package dev.skiff.apiserver.auth;

import java.nio.ByteBuffer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** A request whose body was read ahead (access control, audit), replayed to the handlers after. */
public final class BufferedRequest extends Request.Wrapper {
  private final byte[] body;
  private boolean read;

  public BufferedRequest(Request request, byte[] body) {
    super(request);
    this.body = body;
  }

  @Override
  public long getLength() {
    return body.length;
  }

  @Override
  public Content.Chunk read() {
    if (read) {
      return Content.Chunk.EOF;
    }
    read = true;
    return Content.Chunk.from(ByteBuffer.wrap(body), true);
  }

  @Override
  public void demand(Runnable demandCallback) {
    demandCallback.run();
  }
}
