/* httpd_lib.c: libmicrohttpd, opened when `opsbook serve` starts (see
 * lazylib.h). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/lazylib.h"

#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <microhttpd.h>

#define WHAT    "libmicrohttpd"
#define PACKAGE "libmicrohttpd-dev"

/* The Makefile reads the soname off the library it would have linked
 * (it needs GnuTLS: another reason to load it only to serve). */
static const char *const sonames[] = {OB_MHD_SONAMES NULL};

/* Every function of libmicrohttpd that opsbook calls, with its prototype
 * as microhttpd.h gives it: the compiler checks each definition. Its
 * MHD_start_daemon() takes options as variable arguments: the definition
 * below hands them to MHD_start_daemon_va(). */
#define FUNCTIONS(FN, FN_VOID)                                                 \
    FN(enum MHD_Result, MHD_add_response_header,                               \
       (struct MHD_Response * response, const char *header,                    \
        const char *content),                                                  \
       (response, header, content))                                            \
    FN(struct MHD_Response *, MHD_create_response_from_buffer,                 \
       (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode),          \
       (size, buffer, mode))                                                   \
    FN(struct MHD_Response *, MHD_create_response_from_callback,               \
       (uint64_t size, size_t block_size, MHD_ContentReaderCallback crc,       \
        void *crc_cls, MHD_ContentReaderFreeCallback crfc),                    \
       (size, block_size, crc, crc_cls, crfc))                                 \
    FN(struct MHD_Response *, MHD_create_response_from_fd64,                   \
       (uint64_t size, int fd), (size, fd))                                    \
    FN_VOID(MHD_destroy_response, (struct MHD_Response * response),            \
            (response))                                                        \
    FN(const char *, MHD_lookup_connection_value,                              \
       (struct MHD_Connection * connection, enum MHD_ValueKind kind,           \
        const char *key),                                                      \
       (connection, kind, key))                                                \
    FN(enum MHD_Result, MHD_queue_response,                                    \
       (struct MHD_Connection * connection, unsigned int status_code,          \
        struct MHD_Response *response),                                        \
       (connection, status_code, response))                                    \
    FN(struct MHD_Daemon *, MHD_start_daemon_va,                               \
       (unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,       \
        void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls,             \
        va_list ap),                                                           \
       (flags, port, apc, apc_cls, dh, dh_cls, ap))                            \
    FN_VOID(MHD_stop_daemon, (struct MHD_Daemon * daemon), (daemon))

#include "lazylib_table.h"

struct MHD_Daemon *
MHD_start_daemon(unsigned int flags, uint16_t port,
                 MHD_AcceptPolicyCallback apc, void *apc_cls,
                 MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    struct MHD_Daemon *daemon;
    va_list ap;

    va_start(ap, dh_cls);
    daemon = MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
    va_end(ap);
    return daemon;
}

enum ob_err
ob_httpd_lib_require(struct ob_diag *d)
{
    return ob_lazylib_require(&lib, d);
}
