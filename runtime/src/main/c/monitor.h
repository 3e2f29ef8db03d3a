/* skiff-monitor's options (parsed in monitor.c) and its modes, a file each. */
#ifndef SKIFF_MONITOR_H
#define SKIFF_MONITOR_H

struct monitor_options {
  const char *runc, *runc_root, *id, *bundle, *pid_file, *log_path, *exit_file, *oom_file,
      *attach_path, *resize_fifo, *netns_path;
  int want_stdin, stdin_once, tty, start_now, port, rows, cols;
};

extern struct monitor_options options;

/* Puts "runc [--root DIR]" at argv[*n], advancing *n. */
void runc_prefix(char **argv, int *n);

/* container.c */
int container_mode(void);
/* exec.c */
int exec_mode_main(char **cmd, int ncmd);
/* port_forward.c */
int port_forward_main(void);

#endif
