/* What skiff-monitor's modes (monitor.c and the files it names) share. */
#ifndef SKIFF_COMMON_H
#define SKIFF_COMMON_H

#include <stddef.h>
#include <sys/types.h>

/* Where die() reports: the container monitor's report pipe while it has one, else stderr. */
extern int report_fd;

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
int write_all(int fd, const void *buf, size_t len);
int listen_unix(const char *path);
/* A wait status as a shell reports it: the exit code, or 128 + the signal. */
int exit_code(int status);
/* Receives the pty master that runc sends over its --console-socket. */
int receive_console(int listener);
/* Sets a pty's window size; nothing for no pty or no size. */
void set_size(int master, int rows, int cols);
/* Forks and execs argv with the given stdio (-1 keeps this process's) in dir (NULL: here). */
pid_t spawn(char **argv, int in, int out, int err, const char *dir);
/* The process id written in a pid file, or -1. */
int read_pid(const char *path);
/* Blocks the signals the monitor modes handle and returns a descriptor that reads them. */
int signal_fd(void);

#endif
