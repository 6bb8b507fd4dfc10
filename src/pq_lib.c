/* pq_lib.c: libpq, opened when the first warehouse source connects (see
 * lazylib.h). */
/* SPDX-License-Identifier: MIT */
#include "opsbook/lazylib.h"

#include <libpq-fe.h>

#define WHAT    "libpq"
#define PACKAGE "libpq-dev"

/* The Makefile reads the soname off the library it would have linked. */
static const char *const sonames[] = {OB_PQ_SONAMES NULL};

/* Every function of libpq that opsbook calls, with its prototype as
 * libpq-fe.h gives it: the compiler checks each definition. */
#define FUNCTIONS(FN, FN_VOID)                                                 \
    FN_VOID(PQclear, (PGresult * res), (res))                                  \
    FN(PGconn *, PQconnectdbParams,                                            \
       (const char *const *keywords, const char *const *values,                \
        int expand_dbname),                                                    \
       (keywords, values, expand_dbname))                                      \
    FN(char *, PQerrorMessage, (const PGconn *conn), (conn))                   \
    FN(PGresult *, PQexec, (PGconn * conn, const char *query), (conn, query))  \
    FN(PGresult *, PQexecParams,                                               \
       (PGconn * conn, const char *command, int nParams,                       \
        const Oid *paramTypes, const char *const *paramValues,                 \
        const int *paramLengths, const int *paramFormats, int resultFormat),   \
       (conn, command, nParams, paramTypes, paramValues, paramLengths,         \
        paramFormats, resultFormat))                                           \
    FN_VOID(PQfinish, (PGconn * conn), (conn))                                 \
    FN(char *, PQfname, (const PGresult *res, int field_num),                  \
       (res, field_num))                                                       \
    FN(Oid, PQftype, (const PGresult *res, int field_num), (res, field_num))   \
    FN(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num),    \
       (res, tup_num, field_num))                                              \
    FN(int, PQgetlength, (const PGresult *res, int tup_num, int field_num),    \
       (res, tup_num, field_num))                                              \
    FN(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num),  \
       (res, tup_num, field_num))                                              \
    FN(int, PQnfields, (const PGresult *res), (res))                           \
    FN(int, PQntuples, (const PGresult *res), (res))                           \
    FN(char *, PQresultErrorField, (const PGresult *res, int fieldcode),       \
       (res, fieldcode))                                                       \
    FN(char *, PQresultErrorMessage, (const PGresult *res), (res))             \
    FN(ExecStatusType, PQresultStatus, (const PGresult *res), (res))           \
    FN(ConnStatusType, PQstatus, (const PGconn *conn), (conn))

#include "lazylib_table.h"

enum ob_err
ob_pq_require(struct ob_diag *d)
{
    return ob_lazylib_require(&lib, d);
}
