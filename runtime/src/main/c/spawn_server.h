#ifndef SKIFF_SPAWN_SERVER_H
#define SKIFF_SPAWN_SERVER_H

/* Serves requests to run programs on the unix socket at path until stdin reaches end of file.
 * A request to run this program itself runs self_main(argc, argv) in the forked handler. */
int spawn_server_main(const char *path, int (*self_main)(int argc, char **argv));

#endif
