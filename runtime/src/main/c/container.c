/* skiff-monitor's container mode (default): double-forks into its own session, becomes child
 * subreaper, runs `runc create` (`runc run -d` with -S, for containers started at once) with pipes
 * (or a pty) for the container's stdio, reports "ok PID MONITOR_PID" or "error MSG" on its
 * original stdout, then writes CRI-format log lines, serves attach clients on a unix socket, and
 * when the container exits writes "EXITCODE OOMKILLED FINISHED_NANOS" to the exit file. SIGUSR1
 * reopens the log file (after the kubelet rotated it). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

#define MAX_CLIENTS 16
#define LINE_MAX_BYTES 16384

enum {
  FRAME_STDIN = 0,
  FRAME_STDOUT = 1,
  FRAME_STDERR = 2,
  FRAME_CLOSE_STDIN = 3,
  FRAME_RESIZE = 4
};

static int log_fd = -1;

static void open_log(void) {
  if (!options.log_path || !*options.log_path) return;
  if (log_fd >= 0) close(log_fd);
  log_fd = open(options.log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
}

/* One CRI log record: "<RFC3339Nano> <stream> <P|F> <content>\n". */
static void log_record(const char *stream, char tag, const char *data, size_t len) {
  if (log_fd < 0) return;
  struct timespec ts;
  struct tm tm;
  char head[96];
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  int n = snprintf(head, sizeof head, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ %s %c ",
                   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                   ts.tv_nsec, stream, tag);
  char *rec = malloc((size_t)n + len + 1);
  if (!rec) return;
  memcpy(rec, head, (size_t)n);
  memcpy(rec + n, data, len);
  rec[(size_t)n + len] = '\n';
  write_all(log_fd, rec, (size_t)n + len + 1);
  free(rec);
}

struct line_buffer {
  const char *stream;
  char data[LINE_MAX_BYTES];
  size_t len;
};

static void log_bytes(struct line_buffer *lb, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '\n') {
      log_record(lb->stream, 'F', lb->data, lb->len);
      lb->len = 0;
      continue;
    }
    lb->data[lb->len++] = p[i];
    if (lb->len == sizeof lb->data) {
      log_record(lb->stream, 'P', lb->data, lb->len);
      lb->len = 0;
    }
  }
}

static void log_flush(struct line_buffer *lb) {
  if (lb->len > 0) log_record(lb->stream, 'F', lb->data, lb->len);
  lb->len = 0;
}

static int clients[MAX_CLIENTS];
static int nclients;

static void drop_client(int i) {
  close(clients[i]);
  clients[i] = clients[--nclients];
}

static void broadcast(int type, const char *p, size_t n) {
  unsigned char head[5] = {(unsigned char)type, (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                           (unsigned char)(n >> 8), (unsigned char)n};
  for (int i = 0; i < nclients;) {
    if (write_all(clients[i], head, 5) < 0 || write_all(clients[i], p, n) < 0) drop_client(i);
    else i++;
  }
}

static long long oom_kills(void) {
  if (!options.oom_file) return 0;
  FILE *f = fopen(options.oom_file, "r");
  if (!f) return 0;
  char key[64];
  long long v, total = 0;
  while (fscanf(f, "%63s %lld", key, &v) == 2)
    if (strcmp(key, "oom_kill") == 0) total = v;
  fclose(f);
  return total;
}

static void write_exit(int code, int oom) {
  char tmp[4096];
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  snprintf(tmp, sizeof tmp, "%s.tmp", options.exit_file);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  dprintf(fd, "%d %d %lld\n", code, oom, (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
  fsync(fd);
  close(fd);
  rename(tmp, options.exit_file);
}

/* Reads one frame header + payload from an attach client; returns -1 when the client left. */
static int client_input(int c, int in_fd, int *in_open, int master) {
  unsigned char head[5];
  ssize_t n = recv(c, head, 5, MSG_WAITALL);
  if (n != 5) return -1;
  uint32_t len = ((uint32_t)head[1] << 24) | ((uint32_t)head[2] << 16) | ((uint32_t)head[3] << 8) |
                 head[4];
  if (len > 1 << 20) return -1;
  char *buf = malloc(len ? len : 1);
  if (!buf) return -1;
  if (len && recv(c, buf, len, MSG_WAITALL) != (ssize_t)len) {
    free(buf);
    return -1;
  }
  int target = master >= 0 ? master : in_fd;
  if (head[0] == FRAME_STDIN && *in_open && target >= 0) {
    write_all(target, buf, len);
  } else if (head[0] == FRAME_CLOSE_STDIN && options.stdin_once && *in_open && master < 0 &&
             in_fd >= 0) {
    /* As CRI runtimes do: an attach client's end of input ends the container's only with
     * stdinOnce; otherwise the next client may still type to it. */
    close(in_fd);
    *in_open = 0;
  } else if (head[0] == FRAME_RESIZE && len == 4) {
    set_size(master, (buf[0] & 0xff) << 8 | (buf[1] & 0xff),
             (buf[2] & 0xff) << 8 | (buf[3] & 0xff));
  }
  free(buf);
  return 0;
}

int container_mode(void) {
  if (!options.id || !options.bundle || !options.pid_file || !options.exit_file)
    die("need -c, -b, -p and -e");
  /* The caller may stop reading our stdout once we exit, so we relay the supervisor's report
   * and exit only after it. */
  int rp[2];
  if (pipe2(rp, O_CLOEXEC) < 0) die("pipe: %s", strerror(errno));
  pid_t mid = fork();
  if (mid < 0) die("fork: %s", strerror(errno));
  if (mid > 0) {
    close(rp[1]);
    char buf[1024];
    ssize_t n;
    int ok = 0, first = 1;
    while ((n = read(rp[0], buf, sizeof buf)) != 0) {
      if (n < 0) {
        if (errno == EINTR) continue;
        break;
      }
      if (first && n >= 3 && memcmp(buf, "ok ", 3) == 0) ok = 1;
      first = 0;
      write_all(1, buf, (size_t)n);
    }
    int st;
    waitpid(mid, &st, 0);
    return ok ? 0 : 1;
  }
  close(rp[0]);
  report_fd = rp[1];
  if (setsid() < 0) die("setsid: %s", strerror(errno));
  if (fork() != 0) _exit(0);
  int devnull = open("/dev/null", O_RDWR);
  dup2(devnull, 0);
  dup2(devnull, 1);
  dup2(devnull, 2);
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int sfd = signal_fd();
  if (chdir(options.bundle) < 0) die("chdir %s: %s", options.bundle, strerror(errno));
  open_log();

  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, console = -1, master = -1;
  char console_dir[] = "/tmp/skiff-console-XXXXXX", console_path[64];
  if (options.tty) {
    /* runc dials the socket by path; a short absolute one stays within sun_path's limit. */
    if (!mkdtemp(console_dir)) die("mkdtemp: %s", strerror(errno));
    snprintf(console_path, sizeof console_path, "%s/console.sock", console_dir);
    console = listen_unix(console_path);
  } else {
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) die("pipe: %s", strerror(errno));
    if (options.want_stdin && pipe2(in, O_CLOEXEC) < 0) die("pipe: %s", strerror(errno));
  }
  int listener = options.attach_path ? listen_unix(options.attach_path) : -1;

  char *argv[16];
  int n = 0;
  runc_prefix(argv, &n);
  argv[n++] = "--log";
  argv[n++] = "runc.log";
  if (options.start_now) {
    argv[n++] = "run";
    argv[n++] = "-d";
  } else {
    argv[n++] = "create";
  }
  argv[n++] = "--bundle";
  argv[n++] = (char *)options.bundle;
  argv[n++] = "--pid-file";
  argv[n++] = (char *)options.pid_file;
  if (options.tty) {
    argv[n++] = "--console-socket";
    argv[n++] = console_path;
  }
  argv[n++] = (char *)options.id;
  argv[n] = NULL;
  pid_t creator = spawn(argv, options.tty ? devnull : (in[0] >= 0 ? in[0] : devnull),
                        options.tty ? devnull : out[1], options.tty ? devnull : err[1], NULL);
  if (options.tty) {
    master = receive_console(console);
    close(console);
    unlink(console_path);
    rmdir(console_dir);
    set_size(master, options.rows, options.cols);
  }
  int st;
  while (waitpid(creator, &st, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
    die("runc %s failed (see %s/runc.log)", options.start_now ? "run" : "create", options.bundle);
  pid_t cpid = read_pid(options.pid_file);
  if (cpid <= 0) die("runc wrote no pid file");
  if (in[0] >= 0) close(in[0]);
  if (out[1] >= 0) close(out[1]);
  if (err[1] >= 0) close(err[1]);
  dprintf(report_fd, "ok %d %d\n", cpid, getpid());
  close(report_fd);
  report_fd = -1;

  struct line_buffer lout = {.stream = "stdout"}, lerr = {.stream = "stderr"};
  int out_fd = options.tty ? master : out[0], err_fd = options.tty ? -1 : err[0];
  int in_fd = options.tty ? -1 : in[1], in_open = options.want_stdin;
  int exited = 0, status = 0;
  struct timespec exited_at = {0};
  for (;;) {
    struct pollfd pfds[4 + MAX_CLIENTS];
    int np = 0;
    pfds[np++] = (struct pollfd){.fd = sfd, .events = POLLIN};
    pfds[np++] = (struct pollfd){.fd = out_fd, .events = POLLIN};
    pfds[np++] = (struct pollfd){.fd = err_fd, .events = POLLIN};
    pfds[np++] = (struct pollfd){.fd = listener, .events = POLLIN};
    for (int i = 0; i < nclients; i++) pfds[np++] = (struct pollfd){.fd = clients[i], .events = POLLIN};
    if (exited) {
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      /* Background processes may keep the pipes open; stop draining after two seconds. */
      if ((out_fd < 0 && err_fd < 0) || now.tv_sec - exited_at.tv_sec >= 2) break;
    }
    if (poll(pfds, (nfds_t)np, exited ? 200 : -1) < 0 && errno != EINTR) break;
    if (pfds[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (read(sfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGUSR1) open_log();
        if (si.ssi_signo == SIGCHLD) {
          pid_t p;
          int s;
          while ((p = waitpid(-1, &s, WNOHANG)) > 0) {
            if (p == cpid) {
              exited = 1;
              status = s;
              clock_gettime(CLOCK_MONOTONIC, &exited_at);
            }
          }
        }
      }
    }
    for (int k = 1; k <= 2; k++) {
      int *fd = k == 1 ? &out_fd : &err_fd;
      if (*fd < 0 || !(pfds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[8192];
      ssize_t r = read(*fd, buf, sizeof buf);
      if (r > 0) {
        log_bytes(k == 1 ? &lout : &lerr, buf, (size_t)r);
        broadcast(k == 1 ? FRAME_STDOUT : FRAME_STDERR, buf, (size_t)r);
      } else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
        log_flush(k == 1 ? &lout : &lerr);
        close(*fd);
        *fd = -1;
      }
    }
    if (listener >= 0 && (pfds[3].revents & POLLIN)) {
      int c = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
      if (c >= 0 && nclients < MAX_CLIENTS) clients[nclients++] = c;
      else if (c >= 0) close(c);
    }
    for (int i = nclients - 1; i >= 0; i--) {
      if (!(pfds[4 + i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (client_input(clients[i], in_fd, &in_open, master) < 0) {
        drop_client(i);
        if (options.stdin_once && in_open && in_fd >= 0) {
          close(in_fd);
          in_open = 0;
        }
      }
    }
  }
  log_flush(&lout);
  log_flush(&lerr);
  write_exit(exit_code(status), oom_kills() > 0);
  while (nclients > 0) drop_client(0);
  if (options.attach_path) unlink(options.attach_path);
  return 0;
}
