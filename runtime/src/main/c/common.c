#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int report_fd = -1;

void die(const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (report_fd >= 0) dprintf(report_fd, "error %s\n", msg);
  else fprintf(stderr, "skiff-monitor: %s\n", msg);
  exit(1);
}

int write_all(int fd, const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

int listen_unix(const char *path) {
  int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (s < 0 || strlen(path) >= sizeof addr.sun_path) die("socket path too long: %s", path);
  strcpy(addr.sun_path, path);
  unlink(path);
  if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 8) < 0)
    die("listen on %s: %s", path, strerror(errno));
  return s;
}

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}
