/* skiff-monitor: the per-container supervisor that lets containers outlive the JVM. This file
 * parses its options and picks its mode, each in a file of its own: container mode (default,
 * container.c), exec mode (-x, exec.c), port-forward mode (-f NETNS -P PORT, port_forward.c) and
 * spawn-server mode (-Z SOCKET, spawn_server.c), which runs programs on the runtime's behalf. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common.h"
#include "monitor.h"
#include "spawn_server.h"

struct monitor_options options = {.runc = "runc", .port = -1};

static const char *spawn_socket;
static int exec_mode;

void runc_prefix(char **argv, int *n) {
  argv[(*n)++] = (char *)options.runc;
  if (options.runc_root) {
    argv[(*n)++] = "--root";
    argv[(*n)++] = (char *)options.runc_root;
  }
}

static int run(int argc, char **argv);

/* The spawn server's forked handler runs a container monitor here instead of exec'ing this program
 * again: the options it parsed itself no longer apply, and getopt must start over. */
static int run_again(int argc, char **argv) {
  spawn_socket = NULL;
  optind = 0;
  return run(argc, argv);
}

static int run(int argc, char **argv) {
  int opt;
  while ((opt = getopt(argc, argv, "r:R:c:b:p:l:e:o:a:istxSz:w:f:P:Z:")) != -1) {
    switch (opt) {
      case 'r': options.runc = optarg; break;
      case 'R': options.runc_root = optarg; break;
      case 'c': options.id = optarg; break;
      case 'b': options.bundle = optarg; break;
      case 'p': options.pid_file = optarg; break;
      case 'l': options.log_path = optarg; break;
      case 'e': options.exit_file = optarg; break;
      case 'o': options.oom_file = optarg; break;
      case 'a': options.attach_path = optarg; break;
      case 'i': options.want_stdin = 1; break;
      case 's': options.stdin_once = 1; break;
      case 't': options.tty = 1; break;
      case 'x': exec_mode = 1; break;
      case 'S': options.start_now = 1; break;
      case 'z': options.resize_fifo = optarg; break;
      case 'w': sscanf(optarg, "%d,%d", &options.rows, &options.cols); break;
      case 'f': options.netns_path = optarg; break;
      case 'P': options.port = atoi(optarg); break;
      case 'Z': spawn_socket = optarg; break;
      default: die("unknown option");
    }
  }
  if (spawn_socket) return spawn_server_main(spawn_socket, run_again);
  if (options.netns_path) return port_forward_main();
  if (exec_mode) return exec_mode_main(argv + optind, argc - optind);
  return container_mode();
}

int main(int argc, char **argv) { return run(argc, argv); }
