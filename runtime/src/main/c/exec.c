/* skiff-monitor's exec mode (-x): runs `runc exec -d -t` in the foreground, relays its own
 * stdin/stdout to the pty, applies "ROWS COLS" lines read from the resize fifo, and exits with
 * the command's code. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

static const char *exec_dir;

/* Also runs when die() ends exec mode early, so no socket directory is left behind. */
static void remove_exec_dir(void) {
  char p[128];
  snprintf(p, sizeof p, "%s/console.sock", exec_dir);
  unlink(p);
  snprintf(p, sizeof p, "%s/exec.pid", exec_dir);
  unlink(p);
  rmdir(exec_dir);
}

int exec_mode_main(char **cmd, int ncmd) {
  if (!options.id) die("need -c");
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int sfd = signal_fd();
  static char dir[] = "/tmp/skiff-exec-XXXXXX";
  if (!mkdtemp(dir)) die("mkdtemp: %s", strerror(errno));
  exec_dir = dir;
  atexit(remove_exec_dir);
  char console_path[64], exec_pid[64];
  snprintf(console_path, sizeof console_path, "%s/console.sock", dir);
  snprintf(exec_pid, sizeof exec_pid, "%s/exec.pid", dir);
  int console = listen_unix(console_path);
  char **argv = calloc((size_t)ncmd + 16, sizeof(char *));
  int n = 0;
  runc_prefix(argv, &n);
  argv[n++] = "exec";
  argv[n++] = "-d";
  argv[n++] = "-t";
  argv[n++] = "--console-socket";
  argv[n++] = console_path;
  argv[n++] = "--pid-file";
  argv[n++] = exec_pid;
  argv[n++] = (char *)options.id;
  for (int i = 0; i < ncmd; i++) argv[n++] = cmd[i];
  argv[n] = NULL;
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  pid_t creator = spawn(argv, devnull, devnull, 2, NULL);
  int master = receive_console(console);
  close(console);
  set_size(master, options.rows, options.cols);
  int st;
  while (waitpid(creator, &st, 0) < 0 && errno == EINTR) {
  }
  pid_t pid = read_pid(exec_pid);
  remove_exec_dir();
  if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || pid <= 0) die("runc exec failed");
  int resize =
      options.resize_fifo ? open(options.resize_fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC) : -1;
  char rbuf[64];
  size_t rlen = 0;
  int exited = 0, status = 0, stdin_open = 1;
  while (master >= 0) {
    struct pollfd pfds[4] = {{.fd = sfd, .events = POLLIN},
                             {.fd = master, .events = POLLIN},
                             {.fd = stdin_open ? 0 : -1, .events = POLLIN},
                             {.fd = resize, .events = POLLIN}};
    if (poll(pfds, 4, exited ? 200 : -1) == 0 && exited) break;
    if (pfds[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (read(sfd, &si, sizeof si) == sizeof si && si.ssi_signo == SIGCHLD) {
        pid_t p;
        int s;
        while ((p = waitpid(-1, &s, WNOHANG)) > 0)
          if (p == pid) exited = 1, status = s;
      }
    }
    if (pfds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[8192];
      ssize_t r = read(master, buf, sizeof buf);
      if (r > 0) write_all(1, buf, (size_t)r);
      else if (r == 0 || errno != EINTR) {
        close(master);
        master = -1;
      }
    }
    if (pfds[2].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[8192];
      ssize_t r = read(0, buf, sizeof buf);
      if (r > 0) write_all(master, buf, (size_t)r);
      else stdin_open = 0;
    }
    if (resize >= 0 && (pfds[3].revents & POLLIN)) {
      ssize_t r = read(resize, rbuf + rlen, sizeof rbuf - rlen - 1);
      if (r > 0) {
        rlen += (size_t)r;
        rbuf[rlen] = 0;
        char *nl;
        while ((nl = strchr(rbuf, '\n'))) {
          int r2, c2;
          if (sscanf(rbuf, "%d %d", &r2, &c2) == 2) set_size(master, r2, c2);
          memmove(rbuf, nl + 1, rlen - (size_t)(nl + 1 - rbuf) + 1);
          rlen -= (size_t)(nl + 1 - rbuf);
        }
        if (rlen >= sizeof rbuf - 1) rlen = 0;
      }
    }
  }
  while (!exited) {
    int s;
    pid_t p = waitpid(-1, &s, 0);
    if (p < 0 && errno != EINTR) break;
    if (p == pid) exited = 1, status = s;
  }
  return exit_code(status);
}
