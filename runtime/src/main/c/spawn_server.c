/* skiff-monitor's spawn-server mode (-Z SOCKET): runs programs for the runtime, which would
 * otherwise start each one from its large JVM (an extra helper process and exec per program).
 * Each connection carries one request (argv, environment, stdin) and gets one answer (exit code,
 * stdout, stderr); a forked handler serves it, and kills the program if the client hangs up first
 * (its timeout). Numbers are 4-byte big-endian; strings and byte blocks are length-prefixed. The
 * server exits when its stdin reaches end of file, that is when the runtime's process is gone. A
 * request to run this program itself (a container monitor) runs in the forked child without an
 * exec. */

#define _GNU_SOURCE
#include "spawn_server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

struct bytes {
  char *p;
  size_t len, cap;
};

static int bytes_add(struct bytes *b, const char *p, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->len + n) cap *= 2;
    char *q = realloc(b->p, cap);
    if (!q) return -1;
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, p, n);
  b->len += n;
  return 0;
}

static int bytes_u32(struct bytes *b, uint32_t v) {
  unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                        (unsigned char)v};
  return bytes_add(b, (const char *)x, 4);
}

static int read_full(int fd, void *buf, size_t n) {
  char *p = buf;
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

static int read_u32(int fd, uint32_t *v) {
  unsigned char x[4];
  if (read_full(fd, x, 4) < 0) return -1;
  *v = (uint32_t)x[0] << 24 | (uint32_t)x[1] << 16 | (uint32_t)x[2] << 8 | x[3];
  return 0;
}

static char *read_block(int fd, uint32_t *len, uint32_t max) {
  if (read_u32(fd, len) < 0 || *len > max) return NULL;
  char *s = malloc((size_t)*len + 1);
  if (!s || read_full(fd, s, *len) < 0) return NULL;
  s[*len] = 0;
  return s;
}

static char **read_strings(int fd) {
  uint32_t n, len;
  if (read_u32(fd, &n) < 0 || n > 65536) return NULL;
  char **v = calloc((size_t)n + 1, sizeof(char *));
  for (uint32_t i = 0; v && i < n; i++)
    if (!(v[i] = read_block(fd, &len, 1 << 20))) return NULL;
  return v;
}

static void send_answer(int c, struct bytes *b) {
  for (size_t off = 0; off < b->len;) {
    ssize_t n = send(c, b->p + off, b->len - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += (size_t)n;
  }
}

static int (*run_self)(int argc, char **argv);
static struct stat self;

/* Whether path names this very program (its inode, so a replaced binary is exec'd anew). */
static int is_self(const char *path) {
  struct stat st;
  return strchr(path, '/') && stat(path, &st) == 0 && st.st_dev == self.st_dev &&
         st.st_ino == self.st_ino;
}

static int serve_request(int c) {
  uint32_t in_len;
  char **args = read_strings(c), **env = read_strings(c);
  char *in_data = args && env ? read_block(c, &in_len, 64 << 20) : NULL;
  if (!in_data || !args[0]) return 1;
  int in[2], out[2], err[2], ex[2];
  if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 ||
      pipe2(ex, O_CLOEXEC) < 0)
    return 1;
  pid_t p = fork();
  if (p < 0) return 1;
  if (p == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    if (is_self(args[0])) {
      /* A monitor: this program already, so run it here and spare an exec. Without the exec the
       * close-on-exec descriptors stay open; closing ex[1] tells the handler it "exec'd". */
      int fds[] = {c, in[0], in[1], out[0], out[1], err[0], err[1], ex[0], ex[1]};
      for (size_t k = 0; k < sizeof fds / sizeof fds[0]; k++)
        if (fds[k] > 2) close(fds[k]);
      environ = env;
      int argc = 0;
      while (args[argc]) argc++;
      _exit(run_self(argc, args));
    }
    execvpe(args[0], args, env);
    int e = errno;
    write_all(ex[1], &e, sizeof e);
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  close(ex[1]);
  struct bytes answer = {0}, o = {0}, e = {0};
  int exec_errno;
  if (read_full(ex[0], &exec_errno, sizeof exec_errno) == 0) {
    char msg[512];
    int n = snprintf(msg, sizeof msg, "%s: %s", args[0], strerror(exec_errno));
    while (waitpid(p, NULL, 0) < 0 && errno == EINTR) {
    }
    bytes_u32(&answer, 1);
    bytes_u32(&answer, (uint32_t)n);
    bytes_add(&answer, msg, (size_t)n);
    send_answer(c, &answer);
    return 0;
  }
  int in_fd = in[1], out_fd = out[0], err_fd = err[0];
  size_t in_off = 0;
  if (in_len == 0) {
    close(in_fd);
    in_fd = -1;
  } else {
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  while (out_fd >= 0 || err_fd >= 0) {
    struct pollfd pfds[4] = {{.fd = in_fd, .events = POLLOUT},
                             {.fd = out_fd, .events = POLLIN},
                             {.fd = err_fd, .events = POLLIN},
                             {.fd = c, .events = POLLIN}};
    if (poll(pfds, 4, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (pfds[3].revents) {
      /* The client sends nothing after its request: readable means it hung up. */
      kill(p, SIGKILL);
      while (waitpid(p, NULL, 0) < 0 && errno == EINTR) {
      }
      return 0;
    }
    if (in_fd >= 0 && pfds[0].revents) {
      ssize_t n = write(in_fd, in_data + in_off, in_len - in_off);
      if (n > 0) in_off += (size_t)n;
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || in_off == in_len) {
        close(in_fd);
        in_fd = -1;
      }
    }
    for (int k = 1; k <= 2; k++) {
      int *fd = k == 1 ? &out_fd : &err_fd;
      if (*fd < 0 || !pfds[k].revents) continue;
      char buf[16384];
      ssize_t n = read(*fd, buf, sizeof buf);
      if (n > 0) {
        if (bytes_add(k == 1 ? &o : &e, buf, (size_t)n) < 0) return 1;
      } else if (n == 0 || errno != EINTR) {
        close(*fd);
        *fd = -1;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  int st = 0;
  while (waitpid(p, &st, 0) < 0 && errno == EINTR) {
  }
  bytes_u32(&answer, 0);
  bytes_u32(&answer, (uint32_t)exit_code(st));
  bytes_u32(&answer, (uint32_t)o.len);
  if (o.len) bytes_add(&answer, o.p, o.len);
  bytes_u32(&answer, (uint32_t)e.len);
  if (e.len) bytes_add(&answer, e.p, e.len);
  send_answer(c, &answer);
  return 0;
}

int spawn_server_main(const char *path, int (*self_main)(int argc, char **argv)) {
  run_self = self_main;
  /* Handlers are reaped by the kernel; each one restores SIGCHLD to wait for its program. */
  signal(SIGCHLD, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  if (stat("/proc/self/exe", &self) < 0) die("stat /proc/self/exe: %s", strerror(errno));
  int l = listen_unix(path);
  listen(l, 128);
  dprintf(1, "ready\n");
  for (;;) {
    struct pollfd pfds[2] = {{.fd = 0, .events = POLLIN}, {.fd = l, .events = POLLIN}};
    if (poll(pfds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (pfds[0].revents) {
      char buf[256];
      ssize_t n = read(0, buf, sizeof buf);
      if (n == 0 || (n < 0 && errno != EINTR)) break;
    }
    if (pfds[1].revents & POLLIN) {
      int c = accept4(l, NULL, NULL, SOCK_CLOEXEC);
      if (c < 0) continue;
      pid_t h = fork();
      if (h == 0) {
        close(l);
        signal(SIGCHLD, SIG_DFL);
        _exit(serve_request(c));
      }
      close(c);
    }
  }
  unlink(path);
  return 0;
}
