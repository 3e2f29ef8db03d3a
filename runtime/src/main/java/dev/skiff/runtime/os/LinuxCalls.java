package dev.skiff.runtime.os;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few Linux system calls the runtime makes for every pod (mount, umount2, unshare), called
 * through the Foreign Function API: a mount(8) or ip(8) process per call costs more CPU than the
 * call itself, and pod starts run many of them at once.
 */
@SuppressWarnings("restricted") // the calls are declared with their C signatures
final class LinuxCalls {
  static final long MS_RDONLY = 0x1;
  static final long MS_NOSUID = 0x2;
  static final long MS_NODEV = 0x4;
  static final long MS_NOEXEC = 0x8;
  static final long MS_BIND = 0x1000;
  static final long MS_REC = 0x4000;
  static final long MS_SHARED = 1L << 20;
  static final int MNT_DETACH = 0x2;
  static final int CLONE_NEWNET = 0x40000000;
  static final int EINVAL = 22;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle MOUNT =
      downcall(
          "mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
  private static final MethodHandle UMOUNT2 =
      downcall("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle UNSHARE =
      downcall("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle STRERROR =
      LINKER.downcallHandle(
          LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

  private LinuxCalls() {}

  /** A failed call, with the errno it set. */
  static final class CallException extends RuntimeException {
    private final int errno;

    CallException(String message, int errno) {
      super(message + ": " + describe(errno));
      this.errno = errno;
    }

    int errno() {
      return errno;
    }
  }

  private static MethodHandle downcall(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(
        LINKER.defaultLookup().findOrThrow(name), fd, Linker.Option.captureCallState("errno"));
  }

  /** mount(2); null strings are passed as NULL. */
  static void mount(String source, String target, String type, long flags, String data) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int rc =
          (int)
              MOUNT.invokeExact(
                  state,
                  string(arena, source),
                  string(arena, target),
                  string(arena, type),
                  flags,
                  string(arena, data));
      if (rc != 0) {
        throw new CallException(
            "mount " + (type == null ? "" : type + " ") + "on " + target, errno(state));
      }
    } catch (CallException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("mount(2) call failed", t);
    }
  }

  /** umount2(2). */
  static void umount(String target, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int rc = (int) UMOUNT2.invokeExact(state, string(arena, target), flags);
      if (rc != 0) throw new CallException("umount " + target, errno(state));
    } catch (CallException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("umount2(2) call failed", t);
    }
  }

  /** unshare(2) for the calling thread. */
  static void unshare(int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int rc = (int) UNSHARE.invokeExact(state, flags);
      if (rc != 0) throw new CallException("unshare", errno(state));
    } catch (CallException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("unshare(2) call failed", t);
    }
  }

  private static MemorySegment string(Arena arena, String s) {
    return s == null ? MemorySegment.NULL : arena.allocateFrom(s);
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  /** The C library's text for an errno, as mount(8) and ip(8) print it. */
  static String describe(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }
}
