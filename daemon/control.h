/* SPDX-License-Identifier: GPL-2.0 */
/*
 * heraldd's control socket: a Unix stream socket (default
 * /run/herald/control.sock) served from the event loop, speaking the
 * line protocol of control_proto.h. heraldctl's status, accounts, calls,
 * zones, exceptions, provision now and reload use it.
 *
 * Who may connect: the socket is mode 0660, group "herald" when that group
 * exists (0600 otherwise), in a directory created mode 0750; and every peer
 * is checked again with SO_PEERCRED/SO_PEERGROUPS: root, or a member of
 * group herald, else it gets an error reply and is closed.
 */
#ifndef HERALDD_CONTROL_H
#define HERALDD_CONTROL_H

#include "control_proto.h"
#include "loop.h"

#define CONTROL_SOCKET_PATH "/run/herald/control.sock"
/* The group whose members may use the socket besides root. */
#define CONTROL_GROUP "herald"
/* A client that has not sent a whole request line within this is closed. */
#define CONTROL_REQUEST_TIMEOUT_MS 5000
/* Clients served at once; one more gets an error reply and is closed. */
#define CONTROL_MAX_CLIENTS 16

struct control;

/*
 * Create the socket at @path (refused if another process answers there;
 * a stale socket file is replaced) and serve it from @loop. @ops is copied.
 * NULL on failure, the reason logged.
 */
struct control *control_open(struct loop *loop, const char *path, const struct control_ops *ops);
/* Close every client and the socket, and remove the socket file. */
void control_close(struct control *ctl);

#endif
