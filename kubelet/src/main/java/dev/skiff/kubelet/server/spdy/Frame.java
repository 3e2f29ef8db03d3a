package dev.skiff.kubelet.server.spdy;

import java.util.List;
import java.util.Map;

/**
 * A SPDY/3.1 frame, decoded: the control frames a session exchanges and the data frames that carry
 * a stream's bytes. Header maps have lower-case names, as the protocol requires.
 */
public sealed interface Frame {
  int VERSION = 3;

  int TYPE_SYN_STREAM = 1;
  int TYPE_SYN_REPLY = 2;
  int TYPE_RST_STREAM = 3;
  int TYPE_SETTINGS = 4;
  int TYPE_PING = 6;
  int TYPE_GOAWAY = 7;
  int TYPE_HEADERS = 8;
  int TYPE_WINDOW_UPDATE = 9;

  int FLAG_FIN = 0x01;
  int FLAG_UNIDIRECTIONAL = 0x02;

  int STATUS_PROTOCOL_ERROR = 1;
  int STATUS_INVALID_STREAM = 2;
  int STATUS_REFUSED_STREAM = 3;
  int STATUS_CANCEL = 5;
  int STATUS_INTERNAL_ERROR = 6;
  int STATUS_STREAM_IN_USE = 8;
  int STATUS_STREAM_ALREADY_CLOSED = 9;

  int GOAWAY_OK = 0;
  int GOAWAY_PROTOCOL_ERROR = 1;

  record SynStream(
      int streamId,
      int associatedStreamId,
      int priority,
      boolean fin,
      boolean unidirectional,
      Map<String, List<String>> headers)
      implements Frame {}

  record SynReply(int streamId, boolean fin, Map<String, List<String>> headers) implements Frame {}

  record RstStream(int streamId, int status) implements Frame {}

  /** Settings are advisory here: the peers Skiff talks to do not use flow control. */
  record Settings(boolean clear, Map<Integer, Integer> values) implements Frame {}

  record Ping(int id) implements Frame {}

  record GoAway(int lastGoodStreamId, int status) implements Frame {}

  record Headers(int streamId, boolean fin, Map<String, List<String>> headers) implements Frame {}

  record WindowUpdate(int streamId, int delta) implements Frame {}

  record Data(int streamId, boolean fin, byte[] data) implements Frame {}

  /** A control frame of a type SPDY/3.1 does not define; the spec says to ignore it. */
  record Unknown(int type) implements Frame {}
}
