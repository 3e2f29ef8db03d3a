/* What skiff-monitor's container monitor (monitor.c) and spawn server (spawn_server.c) share. */
#ifndef SKIFF_COMMON_H
#define SKIFF_COMMON_H

#include <stddef.h>

/* Where die() reports: the container monitor's report pipe while it has one, else stderr. */
extern int report_fd;

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
int write_all(int fd, const void *buf, size_t len);
int listen_unix(const char *path);
/* A wait status as a shell reports it: the exit code, or 128 + the signal. */
int exit_code(int status);

#endif
