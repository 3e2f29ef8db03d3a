/* skiff-monitor's port-forward mode (-f NETNS -P PORT): joins the network namespace, connects to
 * 127.0.0.1:PORT and relays stdin/stdout to the connection. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"

int port_forward_main(void) {
  if (!options.netns_path || options.port <= 0) die("need -f NETNS and -P PORT");
  int ns = open(options.netns_path, O_RDONLY | O_CLOEXEC);
  if (ns < 0 || setns(ns, CLONE_NEWNET) < 0)
    die("join %s: %s", options.netns_path, strerror(errno));
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)options.port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s, (struct sockaddr *)&addr, sizeof addr) < 0)
    die("connect to port %d in the pod: %s", options.port, strerror(errno));
  signal(SIGPIPE, SIG_IGN);
  int in_open = 1;
  for (;;) {
    struct pollfd pfds[2] = {{.fd = in_open ? 0 : -1, .events = POLLIN}, {.fd = s, .events = POLLIN}};
    if (poll(pfds, 2, -1) < 0 && errno != EINTR) return 1;
    char buf[16384];
    if (pfds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t r = read(0, buf, sizeof buf);
      if (r > 0) write_all(s, buf, (size_t)r);
      else {
        shutdown(s, SHUT_WR);
        in_open = 0;
      }
    }
    if (pfds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t r = read(s, buf, sizeof buf);
      if (r <= 0 || write_all(1, buf, (size_t)r) < 0) return 0;
    }
  }
}
