#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
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

int receive_console(int listener) {
  struct pollfd pfd = {.fd = listener, .events = POLLIN};
  if (poll(&pfd, 1, 30000) <= 0) die("runc did not send the console");
  int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
  if (c < 0) die("accept console: %s", strerror(errno));
  char name[256], control[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {.iov_base = name, .iov_len = sizeof name};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = sizeof control};
  if (recvmsg(c, &msg, 0) < 0) die("receive console: %s", strerror(errno));
  struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
  if (!cm || cm->cmsg_type != SCM_RIGHTS) die("runc sent no console fd");
  int fd;
  memcpy(&fd, CMSG_DATA(cm), sizeof fd);
  close(c);
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

void set_size(int master, int r, int c) {
  if (master < 0 || r <= 0 || c <= 0) return;
  struct winsize ws = {.ws_row = (unsigned short)r, .ws_col = (unsigned short)c};
  ioctl(master, TIOCSWINSZ, &ws);
}

pid_t spawn(char **argv, int in, int out, int err, const char *dir) {
  pid_t p = fork();
  if (p < 0) die("fork: %s", strerror(errno));
  if (p == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dir && chdir(dir) < 0) _exit(127);
    if (in >= 0) dup2(in, 0);
    if (out >= 0) dup2(out, 1);
    if (err >= 0) dup2(err, 2);
    execvp(argv[0], argv);
    _exit(127);
  }
  return p;
}

int read_pid(const char *path) {
  char buf[32] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  return n > 0 ? atoi(buf) : -1;
}

int signal_fd(void) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGUSR1);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGPIPE);
  sigprocmask(SIG_BLOCK, &set, NULL);
  return signalfd(-1, &set, SFD_CLOEXEC);
}
