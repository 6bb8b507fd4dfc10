/* test_tz.c: unit tests for TZif loading, POSIX footers and conversions. */
/* SPDX-License-Identifier: MIT */
#include "opsbook/tz.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "opsbook/date.h"
#include "runner.h"

struct off_case {
    const char *zone;
    int64_t utc;
    int32_t off;
};

struct local_case {
    const char *zone;
    int64_t local, utc;
};

struct day_case {
    const char *zone;
    int32_t date;
    int64_t utc;
};

struct date_case {
    const char *zone;
    int64_t utc;
    int32_t date;
};

struct slim_file {
    const char *name;
    const unsigned char *data;
    size_t len;
};

/*
 * Expected values below were computed independently with Python 3.11's
 * zoneinfo module (datetime.fromtimestamp(t, tz).utcoffset(),
 * datetime(..., tzinfo=tz, fold=0).timestamp(), and a bisection of
 * fromtimestamp() for day starts) over Debian 12's tzdata 2025b-0+deb12u2,
 * by the script that also built the slim TZif files below.
 * fold=0 is exactly this API's rule: a gap reads the wall time with the
 * offset before it, an overlap takes its first occurrence.
 */
/* From Python 3.11 zoneinfo over the same tzdata 2025b files. */
static const struct off_case real_offsets[] = {
    /* Paris DST starts 2026-03-29 01:00Z */
    {"Europe/Paris", 1774745999LL, 3600},
    /* Paris DST starts 2026-03-29 01:00Z */
    {"Europe/Paris", 1774746000LL, 7200},
    /* Paris DST ends 2026-10-25 01:00Z */
    {"Europe/Paris", 1792889999LL, 7200},
    /* Paris DST ends 2026-10-25 01:00Z */
    {"Europe/Paris", 1792890000LL, 3600},
    /* Paris 2100 (footer rule) */
    {"Europe/Paris", 4109878799LL, 3600},
    /* Paris 2100 (footer rule) */
    {"Europe/Paris", 4109878800LL, 7200},
    /* Paris 2100 end */
    {"Europe/Paris", 4128627599LL, 7200},
    /* Paris 2100 end */
    {"Europe/Paris", 4128627600LL, 3600},
    /* Paris 1890 LMT/PMT */
    {"Europe/Paris", -2511475201LL, 561},
    /* Paris 1890 LMT/PMT */
    {"Europe/Paris", -2511475200LL, 561},
    /* Paris 1850 */
    {"Europe/Paris", -3786825601LL, 561},
    /* Paris 1850 */
    {"Europe/Paris", -3786825600LL, 561},
    /* Paris 1911 PMT->WET */
    {"Europe/Paris", -1855958962LL, 561},
    /* Paris 1911 PMT->WET */
    {"Europe/Paris", -1855958961LL, 0},
    /* NY DST starts */
    {"America/New_York", 1772953199LL, -18000},
    /* NY DST starts */
    {"America/New_York", 1772953200LL, -14400},
    /* NY DST ends */
    {"America/New_York", 1793512799LL, -14400},
    /* NY DST ends */
    {"America/New_York", 1793512800LL, -18000},
    /* NY 2100 start */
    {"America/New_York", 4108690799LL, -18000},
    /* NY 2100 start */
    {"America/New_York", 4108690800LL, -14400},
    /* NY 2100 end */
    {"America/New_York", 4129250399LL, -14400},
    /* NY 2100 end */
    {"America/New_York", 4129250400LL, -18000},
    /* NY LMT->EST */
    {"America/New_York", -2717650801LL, -17762},
    /* NY LMT->EST */
    {"America/New_York", -2717650800LL, -18000},
    /* NY 1850 */
    {"America/New_York", -3786825601LL, -17762},
    /* NY 1850 */
    {"America/New_York", -3786825600LL, -17762},
    /* Kolkata 2026 */
    {"Asia/Kolkata", 1780272000LL, 19800},
    /* Kolkata 2100 */
    {"Asia/Kolkata", 4102444800LL, 19800},
    /* Kolkata 1942 war time */
    {"Asia/Kolkata", -862617600LL, 23400},
    /* Kolkata 1850 */
    {"Asia/Kolkata", -3786825600LL, 21208},
    /* Lord Howe DST ends 2026-04-05 02:00 local */
    {"Australia/Lord_Howe", 1775314799LL, 39600},
    /* Lord Howe DST ends 2026-04-05 02:00 local */
    {"Australia/Lord_Howe", 1775314800LL, 37800},
    /* Lord Howe DST starts */
    {"Australia/Lord_Howe", 1791041399LL, 37800},
    /* Lord Howe DST starts */
    {"Australia/Lord_Howe", 1791041400LL, 39600},
    /* Lord Howe 2100 end */
    {"Australia/Lord_Howe", 4110447599LL, 39600},
    /* Lord Howe 2100 end */
    {"Australia/Lord_Howe", 4110447600LL, 37800},
    /* Lord Howe 2100 start */
    {"Australia/Lord_Howe", 4126174199LL, 37800},
    /* Lord Howe 2100 start */
    {"Australia/Lord_Howe", 4126174200LL, 39600},
};
static const struct local_case real_locals[] = {
    /* gap: offset before (+1) */
    {"Europe/Paris", 1774751400LL, 1774747800LL},
    /* first wall time after the gap */
    {"Europe/Paris", 1774753200LL, 1774746000LL},
    /* overlap: first (CEST) */
    {"Europe/Paris", 1792895400LL, 1792888200LL},
    /* after the overlap */
    {"Europe/Paris", 1792897200LL, 1792893600LL},
    /* summer noon */
    {"Europe/Paris", 1784030400LL, 1784023200LL},
    /* 2100 gap */
    {"Europe/Paris", 4109884200LL, 4109880600LL},
    /* 2100 overlap */
    {"Europe/Paris", 4128633000LL, 4128625800LL},
    /* 1890 (PMT) */
    {"Europe/Paris", -2524521600LL, -2524522161LL},
    /* gap */
    {"America/New_York", 1772937000LL, 1772955000LL},
    /* overlap: first (EDT) */
    {"America/New_York", 1793496600LL, 1793511000LL},
    /* winter */
    {"America/New_York", 1768467600LL, 1768485600LL},
    /* IST */
    {"Asia/Kolkata", 1767225600LL, 1767205800LL},
    /* gap of 30 minutes */
    {"Australia/Lord_Howe", 1791080100LL, 1791042300LL},
    /* overlap of 30 minutes */
    {"Australia/Lord_Howe", 1775353500LL, 1775313900LL},
    /* 2100 gap */
    {"Australia/Lord_Howe", 4126212900LL, 4126175100LL},
};
static const struct day_case real_days[] = {
    /* 2026-03-29 DST day */
    {"Europe/Paris", 20541, 1774738800LL},
    /* 2026-10-25 DST end day */
    {"Europe/Paris", 20751, 1792879200LL},
    /* 2026-01-01  */
    {"Europe/Paris", 20454, 1767222000LL},
    /* 2026-11-01  */
    {"America/New_York", 20758, 1793505600LL},
    /* 2026-01-01  */
    {"Asia/Kolkata", 20454, 1767205800LL},
    /* 2026-10-04  */
    {"Australia/Lord_Howe", 20730, 1791034200LL},
    /* 2018-11-04 midnight skipped (00:00 -> 01:00) */
    {"America/Sao_Paulo", 17839, 1541300400LL},
    /* 2019-02-17 after the repeated hour 23:00-24:00 */
    {"America/Sao_Paulo", 17944, 1550372400LL},
    /* 2011-12-30 the whole day was skipped */
    {"Pacific/Apia", 15338, 1325239200LL},
    /* 2011-12-31 the day after */
    {"Pacific/Apia", 15339, 1325239200LL},
};
static const struct date_case real_dates[] = {
    {"Europe/Paris", 1774740600LL, 20541},
    {"Europe/Paris", 1782858600LL, 20635},
    {"America/New_York", 1767236400LL, 20453},
    {"Asia/Kolkata", 1767205800LL, 20454},
    {"Asia/Kolkata", 1767205799LL, 20453},
    {"Pacific/Apia", 1325239200LL, 15339},
};
/*
 * Slim TZif files built with Python struct. Expected offsets: for files
 * without a table, glibc localtime() with TZ set to the footer (Python
 * time.tzset), cross-checked against zoneinfo.ZoneInfo.from_file() except
 * where CPython 3.11 is off by one (zero-based n days, J59 in leap years);
 * for files with a table, ZoneInfo.from_file(). Slim/AllDst uses zoneinfo
 * too: glibc leaves the first 5 hours of each year in EST, though RFC 8536
 * 3.3.1 says this string means EDT all year. Local times: fold=0.
 */
/* Slim/Paris: CET-1CEST,M3.5.0,M10.5.0/3 (a slim Europe/Paris: the table stops
 * in 1996) */
static const unsigned char slim_paris[] =
    "\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"
    "\x00\x00\x00\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x09\x00"
    "\x00\x00\x00\x31\x5d\xd9\x10\x00\x00\x00\x00\x32\x72\xb4\x10\x01"
    "\x00\x00\x00\x0e\x10\x00\x00\x00\x00\x1c\x20\x01\x04\x43\x45\x54"
    "\x00\x43\x45\x53\x54\x00\x0a\x43\x45\x54\x2d\x31\x43\x45\x53\x54"
    "\x2c\x4d\x33\x2e\x35\x2e\x30\x2c\x4d\x31\x30\x2e\x35\x2e\x30\x2f"
    "\x33\x0a";
/* Slim/Nuuk: <-02>2<-01>,M3.5.0/-1,M10.5.0/0 (negative rule time, quoted names)
 */
static const unsigned char slim_nuuk[] =
    "\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"
    "\x00\x00\x00\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x08\xff"
    "\xff\xe3\xe0\x00\x00\xff\xff\xf1\xf0\x01\x04\x2d\x30\x32\x00\x2d"
    "\x30\x31\x00\x0a\x3c\x2d\x30\x32\x3e\x32\x3c\x2d\x30\x31\x3e\x2c"
    "\x4d\x33\x2e\x35\x2e\x30\x2f\x2d\x31\x2c\x4d\x31\x30\x2e\x35\x2e"
    "\x30\x2f\x30\x0a";
/* Slim/Julian: <+03>-3<+04>,J60/0,J300/25 (Jn days, a time past 24:00) */
static const unsigned char slim_julian[] =
    "\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"
    "\x00\x00\x00\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x04\x00"
    "\x00\x2a\x30\x00\x00\x2b\x30\x33\x00\x0a\x3c\x2b\x30\x33\x3e\x2d"
    "\x33\x3c\x2b\x30\x34\x3e\x2c\x4a\x36\x30\x2f\x30\x2c\x4a\x33\x30"
    "\x30\x2f\x32\x35\x0a";
/* Slim/Zero: XXX3YYY,59/2,300/1:30:15 (zero-based n days) */
static const unsigned char slim_zero[] =
    "\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"
    "\x00\x00\x00\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x04\xff"
    "\xff\xd5\xd0\x00\x00\x58\x58\x58\x00\x0a\x58\x58\x58\x33\x59\x59"
    "\x59\x2c\x35\x39\x2f\x32\x2c\x33\x30\x30\x2f\x31\x3a\x33\x30\x3a"
    "\x31\x35\x0a";
/* Slim/AllDst: EST5EDT,0/0,J365/25 (RFC 8536 all-year DST) */
static const unsigned char slim_alldst[] =
    "\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"
    "\x00\x00\x00\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x04\xff"
    "\xff\xc7\xc0\x01\x00\x45\x44\x54\x00\x0a\x45\x53\x54\x35\x45\x44"
    "\x54\x2c\x30\x2f\x30\x2c\x4a\x33\x36\x35\x2f\x32\x35\x0a";
/* Slim/South: <+1030>-10:30<+11>-11,M10.1.0,M4.1.0 (southern hemisphere,
 * 30-minute DST) */
static const unsigned char slim_south[] =
    "\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"
    "\x00\x00\x00\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x06\x00"
    "\x00\x93\xa8\x00\x00\x2b\x31\x30\x33\x30\x00\x0a\x3c\x2b\x31\x30"
    "\x33\x30\x3e\x2d\x31\x30\x3a\x33\x30\x3c\x2b\x31\x31\x3e\x2d\x31"
    "\x31\x2c\x4d\x31\x30\x2e\x31\x2e\x30\x2c\x4d\x34\x2e\x31\x2e\x30"
    "\x0a";
/* Slim/Kolkata: <+0530>-5:30 (no DST, quoted name) */
static const unsigned char slim_kolkata[] =
    "\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"
    "\x00\x00\x00\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x04\x00"
    "\x00\x4d\x58\x00\x00\x49\x53\x54\x00\x0a\x3c\x2b\x30\x35\x33\x30"
    "\x3e\x2d\x35\x3a\x33\x30\x0a";
/* Slim/LeapJ: <+03>-3<+04>,J59/0,J300/25 (J59 is Feb 28 even in leap years) */
static const unsigned char slim_leapj[] =
    "\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"
    "\x00\x00\x00\x54\x5a\x69\x66\x32\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x04\x00"
    "\x00\x2a\x30\x00\x00\x2b\x30\x33\x00\x0a\x3c\x2b\x30\x33\x3e\x2d"
    "\x33\x3c\x2b\x30\x34\x3e\x2c\x4a\x35\x39\x2f\x30\x2c\x4a\x33\x30"
    "\x30\x2f\x32\x35\x0a";
/* Slim/Version1: (no footer) (version 1: 32-bit table, no footer, last type
 * stays) */
static const unsigned char slim_version1[] =
    "\x54\x5a\x69\x66\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x03\x00\x00\x00\x02\x00\x00\x00\x09\x69\xc8\x79\x90"
    "\x6a\xdd\x54\x90\x6d\x88\x3d\x90\x01\x00\x01\x00\x00\x0e\x10\x00"
    "\x00\x00\x00\x1c\x20\x01\x04\x43\x45\x54\x00\x43\x45\x53\x54\x00";
static const struct slim_file slim_files[] = {
    {"Slim/Paris", slim_paris, sizeof(slim_paris) - 1},
    {"Slim/Nuuk", slim_nuuk, sizeof(slim_nuuk) - 1},
    {"Slim/Julian", slim_julian, sizeof(slim_julian) - 1},
    {"Slim/Zero", slim_zero, sizeof(slim_zero) - 1},
    {"Slim/AllDst", slim_alldst, sizeof(slim_alldst) - 1},
    {"Slim/South", slim_south, sizeof(slim_south) - 1},
    {"Slim/Kolkata", slim_kolkata, sizeof(slim_kolkata) - 1},
    {"Slim/LeapJ", slim_leapj, sizeof(slim_leapj) - 1},
    {"Slim/Version1", slim_version1, sizeof(slim_version1) - 1},
};
static const struct off_case slim_offsets[] = {
    {"Slim/Paris", 631152000LL, 3600},
    {"Slim/Paris", 1767225600LL, 3600},
    {"Slim/Paris", 1774745999LL, 3600},
    {"Slim/Paris", 1774746000LL, 7200},
    {"Slim/Paris", 1792889999LL, 7200},
    {"Slim/Paris", 1792890000LL, 3600},
    {"Slim/Paris", 1830297600LL, 3600},
    {"Slim/Paris", 1837645199LL, 3600},
    {"Slim/Paris", 1837645200LL, 7200},
    {"Slim/Paris", 1856393999LL, 7200},
    {"Slim/Paris", 1856394000LL, 3600},
    {"Slim/Paris", 4102444800LL, 3600},
    {"Slim/Paris", 4109878799LL, 3600},
    {"Slim/Paris", 4109878800LL, 7200},
    {"Slim/Paris", 4128627599LL, 7200},
    {"Slim/Paris", 4128627600LL, 3600},
    {"Slim/Nuuk", 631152000LL, -7200},
    {"Slim/Nuuk", 638326799LL, -7200},
    {"Slim/Nuuk", 638326800LL, -3600},
    {"Slim/Nuuk", 657075599LL, -3600},
    {"Slim/Nuuk", 657075600LL, -7200},
    {"Slim/Nuuk", 1767225600LL, -7200},
    {"Slim/Nuuk", 1774745999LL, -7200},
    {"Slim/Nuuk", 1774746000LL, -3600},
    {"Slim/Nuuk", 1792889999LL, -3600},
    {"Slim/Nuuk", 1792890000LL, -7200},
    {"Slim/Nuuk", 1830297600LL, -7200},
    {"Slim/Nuuk", 1837645199LL, -7200},
    {"Slim/Nuuk", 1837645200LL, -3600},
    {"Slim/Nuuk", 1856393999LL, -3600},
    {"Slim/Nuuk", 1856394000LL, -7200},
    {"Slim/Nuuk", 4102444800LL, -7200},
    {"Slim/Nuuk", 4109878799LL, -7200},
    {"Slim/Nuuk", 4109878800LL, -3600},
    {"Slim/Nuuk", 4128627599LL, -3600},
    {"Slim/Nuuk", 4128627600LL, -7200},
    {"Slim/Julian", 631152000LL, 10800},
    {"Slim/Julian", 636238799LL, 10800},
    {"Slim/Julian", 636238800LL, 14400},
    {"Slim/Julian", 657061199LL, 14400},
    {"Slim/Julian", 657061200LL, 10800},
    {"Slim/Julian", 1767225600LL, 10800},
    {"Slim/Julian", 1772312399LL, 10800},
    {"Slim/Julian", 1772312400LL, 14400},
    {"Slim/Julian", 1793134799LL, 14400},
    {"Slim/Julian", 1793134800LL, 10800},
    {"Slim/Julian", 1830297600LL, 10800},
    {"Slim/Julian", 1835470799LL, 10800},
    {"Slim/Julian", 1835470800LL, 14400},
    {"Slim/Julian", 1856293199LL, 14400},
    {"Slim/Julian", 1856293200LL, 10800},
    {"Slim/Julian", 4102444800LL, 10800},
    {"Slim/Julian", 4107531599LL, 10800},
    {"Slim/Julian", 4107531600LL, 14400},
    {"Slim/Julian", 4128353999LL, 14400},
    {"Slim/Julian", 4128354000LL, 10800},
    {"Slim/Zero", 631152000LL, -10800},
    {"Slim/Zero", 636267599LL, -10800},
    {"Slim/Zero", 636267600LL, -7200},
    {"Slim/Zero", 657084614LL, -7200},
    {"Slim/Zero", 657084615LL, -10800},
    {"Slim/Zero", 1767225600LL, -10800},
    {"Slim/Zero", 1772341199LL, -10800},
    {"Slim/Zero", 1772341200LL, -7200},
    {"Slim/Zero", 1793158214LL, -7200},
    {"Slim/Zero", 1793158215LL, -10800},
    {"Slim/Zero", 1830297600LL, -10800},
    {"Slim/Zero", 1835413199LL, -10800},
    {"Slim/Zero", 1835413200LL, -7200},
    {"Slim/Zero", 1856230214LL, -7200},
    {"Slim/Zero", 1856230215LL, -10800},
    {"Slim/Zero", 4102444800LL, -10800},
    {"Slim/Zero", 4107560399LL, -10800},
    {"Slim/Zero", 4107560400LL, -7200},
    {"Slim/Zero", 4128377414LL, -7200},
    {"Slim/Zero", 4128377415LL, -10800},
    {"Slim/AllDst", 631152000LL, -14400},
    {"Slim/AllDst", 1767225600LL, -14400},
    {"Slim/AllDst", 1830297600LL, -14400},
    {"Slim/AllDst", 4102444800LL, -14400},
    {"Slim/South", 631152000LL, 39600},
    {"Slim/South", 638895599LL, 39600},
    {"Slim/South", 638895600LL, 37800},
    {"Slim/South", 655226999LL, 37800},
    {"Slim/South", 655227000LL, 39600},
    {"Slim/South", 1767225600LL, 39600},
    {"Slim/South", 1775314799LL, 39600},
    {"Slim/South", 1775314800LL, 37800},
    {"Slim/South", 1791041399LL, 37800},
    {"Slim/South", 1791041400LL, 39600},
    {"Slim/South", 1830297600LL, 39600},
    {"Slim/South", 1838213999LL, 39600},
    {"Slim/South", 1838214000LL, 37800},
    {"Slim/South", 1853940599LL, 37800},
    {"Slim/South", 1853940600LL, 39600},
    {"Slim/South", 4102444800LL, 39600},
    {"Slim/South", 4110447599LL, 39600},
    {"Slim/South", 4110447600LL, 37800},
    {"Slim/South", 4126174199LL, 37800},
    {"Slim/South", 4126174200LL, 39600},
    {"Slim/Kolkata", 631152000LL, 19800},
    {"Slim/Kolkata", 1767225600LL, 19800},
    {"Slim/Kolkata", 1830297600LL, 19800},
    {"Slim/Kolkata", 4102444800LL, 19800},
    {"Slim/LeapJ", 631152000LL, 10800},
    {"Slim/LeapJ", 636152399LL, 10800},
    {"Slim/LeapJ", 636152400LL, 14400},
    {"Slim/LeapJ", 657061199LL, 14400},
    {"Slim/LeapJ", 657061200LL, 10800},
    {"Slim/LeapJ", 1767225600LL, 10800},
    {"Slim/LeapJ", 1772225999LL, 10800},
    {"Slim/LeapJ", 1772226000LL, 14400},
    {"Slim/LeapJ", 1793134799LL, 14400},
    {"Slim/LeapJ", 1793134800LL, 10800},
    {"Slim/LeapJ", 1830297600LL, 10800},
    {"Slim/LeapJ", 1835297999LL, 10800},
    {"Slim/LeapJ", 1835298000LL, 14400},
    {"Slim/LeapJ", 1856293199LL, 14400},
    {"Slim/LeapJ", 1856293200LL, 10800},
    {"Slim/LeapJ", 4102444800LL, 10800},
    {"Slim/LeapJ", 4107445199LL, 10800},
    {"Slim/LeapJ", 4107445200LL, 14400},
    {"Slim/LeapJ", 4128353999LL, 14400},
    {"Slim/LeapJ", 4128354000LL, 10800},
    {"Slim/Version1", 631152000LL, 3600},
    {"Slim/Version1", 1767225600LL, 3600},
    {"Slim/Version1", 1774745999LL, 3600},
    {"Slim/Version1", 1774746000LL, 7200},
    {"Slim/Version1", 1792889999LL, 7200},
    {"Slim/Version1", 1792890000LL, 3600},
    {"Slim/Version1", 1830297600LL, 3600},
    {"Slim/Version1", 1837645199LL, 3600},
    {"Slim/Version1", 1837645200LL, 7200},
    {"Slim/Version1", 4102444800LL, 7200},
};
static const struct local_case slim_locals[] = {
    {"Slim/Paris", 1774744200LL, 1774740600LL},
    {"Slim/Paris", 1774747800LL, 1774744200LL},
    {"Slim/Paris", 1774749600LL, 1774746000LL},
    {"Slim/Paris", 1774751400LL, 1774747800LL},
    {"Slim/Paris", 1774755000LL, 1774747800LL},
    {"Slim/Paris", 1792891800LL, 1792884600LL},
    {"Slim/Paris", 1792895400LL, 1792888200LL},
    {"Slim/Paris", 1792897200LL, 1792893600LL},
    {"Slim/Paris", 1792899000LL, 1792895400LL},
    {"Slim/Paris", 1792902600LL, 1792899000LL},
    {"Slim/Paris", 1837643400LL, 1837639800LL},
    {"Slim/Paris", 1837647000LL, 1837643400LL},
    {"Slim/Paris", 1837648800LL, 1837645200LL},
    {"Slim/Paris", 1837650600LL, 1837647000LL},
    {"Slim/Paris", 1837654200LL, 1837647000LL},
    {"Slim/Paris", 1856395800LL, 1856388600LL},
    {"Slim/Paris", 1856399400LL, 1856392200LL},
    {"Slim/Paris", 1856401200LL, 1856397600LL},
    {"Slim/Paris", 1856403000LL, 1856399400LL},
    {"Slim/Paris", 1856406600LL, 1856403000LL},
    {"Slim/Paris", 4109877000LL, 4109873400LL},
    {"Slim/Paris", 4109880600LL, 4109877000LL},
    {"Slim/Paris", 4109882400LL, 4109878800LL},
    {"Slim/Paris", 4109884200LL, 4109880600LL},
    {"Slim/Paris", 4109887800LL, 4109880600LL},
    {"Slim/Paris", 4128629400LL, 4128622200LL},
    {"Slim/Paris", 4128633000LL, 4128625800LL},
    {"Slim/Paris", 4128634800LL, 4128631200LL},
    {"Slim/Paris", 4128636600LL, 4128633000LL},
    {"Slim/Paris", 4128640200LL, 4128636600LL},
    {"Slim/Nuuk", 638314200LL, 638321400LL},
    {"Slim/Nuuk", 638317800LL, 638325000LL},
    {"Slim/Nuuk", 638319600LL, 638326800LL},
    {"Slim/Nuuk", 638321400LL, 638328600LL},
    {"Slim/Nuuk", 638325000LL, 638328600LL},
    {"Slim/Nuuk", 657066600LL, 657070200LL},
    {"Slim/Nuuk", 657070200LL, 657073800LL},
    {"Slim/Nuuk", 657072000LL, 657079200LL},
    {"Slim/Nuuk", 657073800LL, 657081000LL},
    {"Slim/Nuuk", 657077400LL, 657084600LL},
    {"Slim/Nuuk", 1774733400LL, 1774740600LL},
    {"Slim/Nuuk", 1774737000LL, 1774744200LL},
    {"Slim/Nuuk", 1774738800LL, 1774746000LL},
    {"Slim/Nuuk", 1774740600LL, 1774747800LL},
    {"Slim/Nuuk", 1774744200LL, 1774747800LL},
    {"Slim/Nuuk", 1792881000LL, 1792884600LL},
    {"Slim/Nuuk", 1792884600LL, 1792888200LL},
    {"Slim/Nuuk", 1792886400LL, 1792893600LL},
    {"Slim/Nuuk", 1792888200LL, 1792895400LL},
    {"Slim/Nuuk", 1792891800LL, 1792899000LL},
    {"Slim/Nuuk", 1837632600LL, 1837639800LL},
    {"Slim/Nuuk", 1837636200LL, 1837643400LL},
    {"Slim/Nuuk", 1837638000LL, 1837645200LL},
    {"Slim/Nuuk", 1837639800LL, 1837647000LL},
    {"Slim/Nuuk", 1837643400LL, 1837647000LL},
    {"Slim/Nuuk", 1856385000LL, 1856388600LL},
    {"Slim/Nuuk", 1856388600LL, 1856392200LL},
    {"Slim/Nuuk", 1856390400LL, 1856397600LL},
    {"Slim/Nuuk", 1856392200LL, 1856399400LL},
    {"Slim/Nuuk", 1856395800LL, 1856403000LL},
    {"Slim/Nuuk", 4109866200LL, 4109873400LL},
    {"Slim/Nuuk", 4109869800LL, 4109877000LL},
    {"Slim/Nuuk", 4109871600LL, 4109878800LL},
    {"Slim/Nuuk", 4109873400LL, 4109880600LL},
    {"Slim/Nuuk", 4109877000LL, 4109880600LL},
    {"Slim/Nuuk", 4128618600LL, 4128622200LL},
    {"Slim/Nuuk", 4128622200LL, 4128625800LL},
    {"Slim/Nuuk", 4128624000LL, 4128631200LL},
    {"Slim/Nuuk", 4128625800LL, 4128633000LL},
    {"Slim/Nuuk", 4128629400LL, 4128636600LL},
    {"Slim/Julian", 636244200LL, 636233400LL},
    {"Slim/Julian", 636247800LL, 636237000LL},
    {"Slim/Julian", 636249600LL, 636238800LL},
    {"Slim/Julian", 636251400LL, 636240600LL},
    {"Slim/Julian", 636255000LL, 636240600LL},
    {"Slim/Julian", 657070200LL, 657055800LL},
    {"Slim/Julian", 657073800LL, 657059400LL},
    {"Slim/Julian", 657075600LL, 657064800LL},
    {"Slim/Julian", 657077400LL, 657066600LL},
    {"Slim/Julian", 657081000LL, 657070200LL},
    {"Slim/Julian", 1772317800LL, 1772307000LL},
    {"Slim/Julian", 1772321400LL, 1772310600LL},
    {"Slim/Julian", 1772323200LL, 1772312400LL},
    {"Slim/Julian", 1772325000LL, 1772314200LL},
    {"Slim/Julian", 1772328600LL, 1772314200LL},
    {"Slim/Julian", 1793143800LL, 1793129400LL},
    {"Slim/Julian", 1793147400LL, 1793133000LL},
    {"Slim/Julian", 1793149200LL, 1793138400LL},
    {"Slim/Julian", 1793151000LL, 1793140200LL},
    {"Slim/Julian", 1793154600LL, 1793143800LL},
    {"Slim/Julian", 1835476200LL, 1835465400LL},
    {"Slim/Julian", 1835479800LL, 1835469000LL},
    {"Slim/Julian", 1835481600LL, 1835470800LL},
    {"Slim/Julian", 1835483400LL, 1835472600LL},
    {"Slim/Julian", 1835487000LL, 1835472600LL},
    {"Slim/Julian", 1856302200LL, 1856287800LL},
    {"Slim/Julian", 1856305800LL, 1856291400LL},
    {"Slim/Julian", 1856307600LL, 1856296800LL},
    {"Slim/Julian", 1856309400LL, 1856298600LL},
    {"Slim/Julian", 1856313000LL, 1856302200LL},
    {"Slim/Julian", 4107537000LL, 4107526200LL},
    {"Slim/Julian", 4107540600LL, 4107529800LL},
    {"Slim/Julian", 4107542400LL, 4107531600LL},
    {"Slim/Julian", 4107544200LL, 4107533400LL},
    {"Slim/Julian", 4107547800LL, 4107533400LL},
    {"Slim/Julian", 4128363000LL, 4128348600LL},
    {"Slim/Julian", 4128366600LL, 4128352200LL},
    {"Slim/Julian", 4128368400LL, 4128357600LL},
    {"Slim/Julian", 4128370200LL, 4128359400LL},
    {"Slim/Julian", 4128373800LL, 4128363000LL},
    {"Slim/Zero", 636251400LL, 636262200LL},
    {"Slim/Zero", 636255000LL, 636265800LL},
    {"Slim/Zero", 636256800LL, 636267600LL},
    {"Slim/Zero", 636258600LL, 636269400LL},
    {"Slim/Zero", 636262200LL, 636269400LL},
    {"Slim/Zero", 657072015LL, 657079215LL},
    {"Slim/Zero", 657075615LL, 657082815LL},
    {"Slim/Zero", 657077415LL, 657088215LL},
    {"Slim/Zero", 657079215LL, 657090015LL},
    {"Slim/Zero", 657082815LL, 657093615LL},
    {"Slim/Zero", 1772325000LL, 1772335800LL},
    {"Slim/Zero", 1772328600LL, 1772339400LL},
    {"Slim/Zero", 1772330400LL, 1772341200LL},
    {"Slim/Zero", 1772332200LL, 1772343000LL},
    {"Slim/Zero", 1772335800LL, 1772343000LL},
    {"Slim/Zero", 1793145615LL, 1793152815LL},
    {"Slim/Zero", 1793149215LL, 1793156415LL},
    {"Slim/Zero", 1793151015LL, 1793161815LL},
    {"Slim/Zero", 1793152815LL, 1793163615LL},
    {"Slim/Zero", 1793156415LL, 1793167215LL},
    {"Slim/Zero", 1835397000LL, 1835407800LL},
    {"Slim/Zero", 1835400600LL, 1835411400LL},
    {"Slim/Zero", 1835402400LL, 1835413200LL},
    {"Slim/Zero", 1835404200LL, 1835415000LL},
    {"Slim/Zero", 1835407800LL, 1835415000LL},
    {"Slim/Zero", 1856217615LL, 1856224815LL},
    {"Slim/Zero", 1856221215LL, 1856228415LL},
    {"Slim/Zero", 1856223015LL, 1856233815LL},
    {"Slim/Zero", 1856224815LL, 1856235615LL},
    {"Slim/Zero", 1856228415LL, 1856239215LL},
    {"Slim/Zero", 4107544200LL, 4107555000LL},
    {"Slim/Zero", 4107547800LL, 4107558600LL},
    {"Slim/Zero", 4107549600LL, 4107560400LL},
    {"Slim/Zero", 4107551400LL, 4107562200LL},
    {"Slim/Zero", 4107555000LL, 4107562200LL},
    {"Slim/Zero", 4128364815LL, 4128372015LL},
    {"Slim/Zero", 4128368415LL, 4128375615LL},
    {"Slim/Zero", 4128370215LL, 4128381015LL},
    {"Slim/Zero", 4128372015LL, 4128382815LL},
    {"Slim/Zero", 4128375615LL, 4128386415LL},
    {"Slim/South", 638929800LL, 638890200LL},
    {"Slim/South", 638933400LL, 638893800LL},
    {"Slim/South", 638935200LL, 638897400LL},
    {"Slim/South", 638937000LL, 638899200LL},
    {"Slim/South", 638940600LL, 638902800LL},
    {"Slim/South", 655259400LL, 655221600LL},
    {"Slim/South", 655263000LL, 655225200LL},
    {"Slim/South", 655264800LL, 655227000LL},
    {"Slim/South", 655266600LL, 655227000LL},
    {"Slim/South", 655270200LL, 655230600LL},
    {"Slim/South", 1775349000LL, 1775309400LL},
    {"Slim/South", 1775352600LL, 1775313000LL},
    {"Slim/South", 1775354400LL, 1775316600LL},
    {"Slim/South", 1775356200LL, 1775318400LL},
    {"Slim/South", 1775359800LL, 1775322000LL},
    {"Slim/South", 1791073800LL, 1791036000LL},
    {"Slim/South", 1791077400LL, 1791039600LL},
    {"Slim/South", 1791079200LL, 1791041400LL},
    {"Slim/South", 1791081000LL, 1791041400LL},
    {"Slim/South", 1791084600LL, 1791045000LL},
    {"Slim/South", 1838248200LL, 1838208600LL},
    {"Slim/South", 1838251800LL, 1838212200LL},
    {"Slim/South", 1838253600LL, 1838215800LL},
    {"Slim/South", 1838255400LL, 1838217600LL},
    {"Slim/South", 1838259000LL, 1838221200LL},
    {"Slim/South", 1853973000LL, 1853935200LL},
    {"Slim/South", 1853976600LL, 1853938800LL},
    {"Slim/South", 1853978400LL, 1853940600LL},
    {"Slim/South", 1853980200LL, 1853940600LL},
    {"Slim/South", 1853983800LL, 1853944200LL},
    {"Slim/South", 4110481800LL, 4110442200LL},
    {"Slim/South", 4110485400LL, 4110445800LL},
    {"Slim/South", 4110487200LL, 4110449400LL},
    {"Slim/South", 4110489000LL, 4110451200LL},
    {"Slim/South", 4110492600LL, 4110454800LL},
    {"Slim/South", 4126206600LL, 4126168800LL},
    {"Slim/South", 4126210200LL, 4126172400LL},
    {"Slim/South", 4126212000LL, 4126174200LL},
    {"Slim/South", 4126213800LL, 4126174200LL},
    {"Slim/South", 4126217400LL, 4126177800LL},
    {"Slim/LeapJ", 636157800LL, 636147000LL},
    {"Slim/LeapJ", 636161400LL, 636150600LL},
    {"Slim/LeapJ", 636163200LL, 636152400LL},
    {"Slim/LeapJ", 636165000LL, 636154200LL},
    {"Slim/LeapJ", 636168600LL, 636154200LL},
    {"Slim/LeapJ", 657070200LL, 657055800LL},
    {"Slim/LeapJ", 657073800LL, 657059400LL},
    {"Slim/LeapJ", 657075600LL, 657064800LL},
    {"Slim/LeapJ", 657077400LL, 657066600LL},
    {"Slim/LeapJ", 657081000LL, 657070200LL},
    {"Slim/LeapJ", 1772231400LL, 1772220600LL},
    {"Slim/LeapJ", 1772235000LL, 1772224200LL},
    {"Slim/LeapJ", 1772236800LL, 1772226000LL},
    {"Slim/LeapJ", 1772238600LL, 1772227800LL},
    {"Slim/LeapJ", 1772242200LL, 1772227800LL},
    {"Slim/LeapJ", 1793143800LL, 1793129400LL},
    {"Slim/LeapJ", 1793147400LL, 1793133000LL},
    {"Slim/LeapJ", 1793149200LL, 1793138400LL},
    {"Slim/LeapJ", 1793151000LL, 1793140200LL},
    {"Slim/LeapJ", 1793154600LL, 1793143800LL},
    {"Slim/LeapJ", 1835303400LL, 1835292600LL},
    {"Slim/LeapJ", 1835307000LL, 1835296200LL},
    {"Slim/LeapJ", 1835308800LL, 1835298000LL},
    {"Slim/LeapJ", 1835310600LL, 1835299800LL},
    {"Slim/LeapJ", 1835314200LL, 1835299800LL},
    {"Slim/LeapJ", 1856302200LL, 1856287800LL},
    {"Slim/LeapJ", 1856305800LL, 1856291400LL},
    {"Slim/LeapJ", 1856307600LL, 1856296800LL},
    {"Slim/LeapJ", 1856309400LL, 1856298600LL},
    {"Slim/LeapJ", 1856313000LL, 1856302200LL},
    {"Slim/LeapJ", 4107450600LL, 4107439800LL},
    {"Slim/LeapJ", 4107454200LL, 4107443400LL},
    {"Slim/LeapJ", 4107456000LL, 4107445200LL},
    {"Slim/LeapJ", 4107457800LL, 4107447000LL},
    {"Slim/LeapJ", 4107461400LL, 4107447000LL},
    {"Slim/LeapJ", 4128363000LL, 4128348600LL},
    {"Slim/LeapJ", 4128366600LL, 4128352200LL},
    {"Slim/LeapJ", 4128368400LL, 4128357600LL},
    {"Slim/LeapJ", 4128370200LL, 4128359400LL},
    {"Slim/LeapJ", 4128373800LL, 4128363000LL},
    {"Slim/Version1", 1774744200LL, 1774740600LL},
    {"Slim/Version1", 1774747800LL, 1774744200LL},
    {"Slim/Version1", 1774749600LL, 1774746000LL},
    {"Slim/Version1", 1774751400LL, 1774747800LL},
    {"Slim/Version1", 1774755000LL, 1774747800LL},
    {"Slim/Version1", 1792891800LL, 1792884600LL},
    {"Slim/Version1", 1792895400LL, 1792888200LL},
    {"Slim/Version1", 1792897200LL, 1792893600LL},
    {"Slim/Version1", 1792899000LL, 1792895400LL},
    {"Slim/Version1", 1792902600LL, 1792899000LL},
    {"Slim/Version1", 1837643400LL, 1837639800LL},
    {"Slim/Version1", 1837647000LL, 1837643400LL},
    {"Slim/Version1", 1837648800LL, 1837645200LL},
    {"Slim/Version1", 1837650600LL, 1837647000LL},
    {"Slim/Version1", 1837654200LL, 1837647000LL},
};

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static char tmpdir[64];

static struct ob_tz *
load(const char *name, const char *dir)
{
    struct ob_tz *tz = NULL;
    enum ob_err err = ob_tz_load(name, dir, &tz);
    if (err)
        fprintf(stderr, "cannot load '%s': %d\n", name, (int)err);
    return tz;
}

static void
write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    OB_CHECK(f != NULL);
    if (!f)
        return;
    OB_CHECK(fwrite(data, 1, len, f) == len);
    OB_CHECK(fclose(f) == 0);
}

static void
setup_tmpdir(void)
{
    char sub[128];

    snprintf(tmpdir, sizeof(tmpdir), "/tmp/ob_test_tz_XXXXXX");
    OB_CHECK(mkdtemp(tmpdir) != NULL);
    snprintf(sub, sizeof(sub), "%s/Slim", tmpdir);
    OB_CHECK(mkdir(sub, 0700) == 0);
    for (size_t i = 0; i < LEN(slim_files); i++)
        write_file(tmpdir, slim_files[i].name, slim_files[i].data,
                   slim_files[i].len);
}

static void
remove_in_tmpdir(const char *name)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    remove(path);
}

static void
cleanup_tmpdir(void)
{
    for (size_t i = 0; i < LEN(slim_files); i++)
        remove_in_tmpdir(slim_files[i].name);
    remove_in_tmpdir("Slim");
    remove_in_tmpdir("Bad");
    remove_in_tmpdir("Junk");
    remove(tmpdir);
}

static void
check_offsets(const struct off_case *cases, size_t n, const char *dir)
{
    for (size_t i = 0; i < n; i++) {
        struct ob_tz *tz = load(cases[i].zone, dir);
        OB_CHECK(tz != NULL);
        if (!tz)
            continue;
        if (ob_tz_offset_at(tz, cases[i].utc) != cases[i].off)
            fprintf(stderr, "  %s at %lld\n", cases[i].zone,
                    (long long)cases[i].utc);
        OB_CHECK_INT(ob_tz_offset_at(tz, cases[i].utc), cases[i].off);
        ob_tz_free(tz);
    }
}

static void
check_locals(const struct local_case *cases, size_t n, const char *dir)
{
    for (size_t i = 0; i < n; i++) {
        struct ob_tz *tz = load(cases[i].zone, dir);
        OB_CHECK(tz != NULL);
        if (!tz)
            continue;
        if (ob_tz_local_to_utc(tz, cases[i].local) != cases[i].utc)
            fprintf(stderr, "  %s local %lld\n", cases[i].zone,
                    (long long)cases[i].local);
        OB_CHECK_INT(ob_tz_local_to_utc(tz, cases[i].local), cases[i].utc);
        ob_tz_free(tz);
    }
}

static void
test_real_offsets(void)
{
    check_offsets(real_offsets, LEN(real_offsets), NULL);
}

/* The two Paris switches of 2026 spelled out, as the brief states them. */
static void
test_paris_2026(void)
{
    struct ob_tz *tz = load("Europe/Paris", NULL);
    struct ob_datetime dt;

    OB_CHECK(tz != NULL);
    if (!tz)
        return;
    OB_CHECK_STR(ob_tz_name(tz), "Europe/Paris");
    OB_CHECK(ob_datetime_parse("2026-03-29T01:00:00Z", 20, &dt));
    OB_CHECK_INT(ob_tz_offset_at(tz, dt.seconds - 1), 3600);
    OB_CHECK_INT(ob_tz_offset_at(tz, dt.seconds), 7200);
    OB_CHECK(ob_datetime_parse("2026-10-25T01:00:00Z", 20, &dt));
    OB_CHECK_INT(ob_tz_offset_at(tz, dt.seconds - 1), 7200);
    OB_CHECK_INT(ob_tz_offset_at(tz, dt.seconds), 3600);
    ob_tz_free(tz);
}

static void
test_real_locals(void)
{
    check_locals(real_locals, LEN(real_locals), NULL);
}

static void
test_day_start_and_date_of(void)
{
    for (size_t i = 0; i < LEN(real_days); i++) {
        struct ob_tz *tz = load(real_days[i].zone, NULL);
        OB_CHECK(tz != NULL);
        if (!tz)
            continue;
        OB_CHECK_INT(ob_tz_day_start(tz, real_days[i].date), real_days[i].utc);
        ob_tz_free(tz);
    }
    for (size_t i = 0; i < LEN(real_dates); i++) {
        struct ob_tz *tz = load(real_dates[i].zone, NULL);
        OB_CHECK(tz != NULL);
        if (!tz)
            continue;
        OB_CHECK_INT(ob_tz_date_of(tz, real_dates[i].utc), real_dates[i].date);
        ob_tz_free(tz);
    }
}

static void
test_slim_files(void)
{
    struct ob_tz *tz = load("Slim/AllDst", tmpdir);
    long bad = 0;

    check_offsets(slim_offsets, LEN(slim_offsets), tmpdir);
    check_locals(slim_locals, LEN(slim_locals), tmpdir);
    /* All-year DST holds across every new year, where its rule wraps. */
    for (int32_t y = 1990; tz && y <= 2100; y++) {
        int64_t jan1 = (int64_t)ob_date_from_civil(y, 1, 1) * 86400;
        for (int64_t t = jan1 - 86400; t < jan1 + 86400; t += 600)
            bad += ob_tz_offset_at(tz, t) != -14400;
    }
    OB_CHECK(tz != NULL);
    OB_CHECK_INT(bad, 0);
    ob_tz_free(tz);
}

/* Absurd instants and dates give some answer, never undefined behaviour. */
static void
test_extremes(void)
{
    static const int64_t times[] = {INT64_MIN, INT64_MIN + 1, -(1LL << 59),
                                    INT64_MAX, INT64_MAX - 1, 1LL << 59};
    static const struct {
        const char *name;
        bool in_tmpdir;
    } zones[] = {{"Europe/Paris", false},
                 {"Slim/Paris", true},
                 {"Slim/South", true},
                 {"UTC", false}};

    for (size_t z = 0; z < LEN(zones); z++) {
        struct ob_tz *tz =
            load(zones[z].name, zones[z].in_tmpdir ? tmpdir : NULL);
        OB_CHECK(tz != NULL);
        for (size_t i = 0; tz && i < LEN(times); i++) {
            int32_t off = ob_tz_offset_at(tz, times[i]);
            OB_CHECK(off >= -86400 && off <= 86400);
            (void)ob_tz_local_to_utc(tz, times[i]);
            (void)ob_tz_date_of(tz, times[i]);
        }
        if (tz) {
            (void)ob_tz_day_start(tz, INT32_MAX);
            (void)ob_tz_day_start(tz, INT32_MIN);
        }
        ob_tz_free(tz);
    }
}

/*
 * The fat Europe/Paris table runs to 2037; the slim copy stops in 1996 and
 * leaves the rest to its footer. Both must agree at every sampled instant.
 */
static void
test_footer_matches_table(void)
{
    struct ob_tz *fat = load("Europe/Paris", NULL);
    struct ob_tz *slim = load("Slim/Paris", tmpdir);
    int64_t from = 852076800, to = 2145916800; /* 1997 to 2038 */
    long bad = 0;

    OB_CHECK(fat && slim);
    for (int64_t t = from; fat && slim && t < to; t += 1799)
        bad += ob_tz_offset_at(fat, t) != ob_tz_offset_at(slim, t);
    OB_CHECK_INT(bad, 0);
    ob_tz_free(fat);
    ob_tz_free(slim);
}

/* local_to_utc, date_of and day_start agree with offset_at everywhere. */
static void
check_round_trips(const char *zone)
{
    struct ob_tz *tz = load(zone, NULL);
    int64_t from = -2208988800LL, to = 7258118400LL; /* 1900 to 2200 */
    long bad = 0;

    OB_CHECK(tz != NULL);
    for (int64_t u = from; tz && u < to; u += 25980) {
        int64_t local = u + ob_tz_offset_at(tz, u);
        int64_t back = ob_tz_local_to_utc(tz, local);
        int32_t date = ob_tz_date_of(tz, u);
        int64_t start = ob_tz_day_start(tz, date);
        /* Overlaps map back to the first occurrence: never later. */
        bad += back > u || back + ob_tz_offset_at(tz, back) != local;
        bad += start > u || ob_tz_date_of(tz, start) != date;
        bad += ob_tz_date_of(tz, start - 1) >= date;
    }
    if (bad)
        fprintf(stderr, "  %s: %ld bad\n", zone, bad);
    OB_CHECK_INT(bad, 0);
    ob_tz_free(tz);
}

static void
test_round_trips(void)
{
    check_round_trips("Europe/Paris");
    check_round_trips("America/New_York");
    check_round_trips("Asia/Kolkata");
    check_round_trips("Australia/Lord_Howe");
    check_round_trips("Pacific/Apia");
    check_round_trips("America/Sao_Paulo");
}

/* UTC needs no file: the temporary directory has none. */
static void
test_builtin_utc(void)
{
    static const char *const names[] = {"UTC", "Etc/UTC", "GMT"};

    for (size_t i = 0; i < LEN(names); i++) {
        struct ob_tz *tz = load(names[i], tmpdir);
        OB_CHECK(tz != NULL);
        if (!tz)
            continue;
        OB_CHECK_STR(ob_tz_name(tz), names[i]);
        OB_CHECK_INT(ob_tz_offset_at(tz, 1774746000), 0);
        OB_CHECK_INT(ob_tz_local_to_utc(tz, 1774746000), 1774746000);
        OB_CHECK_INT(ob_tz_day_start(tz, 20541), 20541LL * 86400);
        OB_CHECK_INT(ob_tz_date_of(tz, -1), -1);
        ob_tz_free(tz);
    }
    ob_tz_free(NULL);
}

static void
test_bad_names(void)
{
    static const char *const bad[] = {
        "",
        "/etc/localtime",
        "../etc/passwd",
        "Europe/../Paris",
        "..",
        ".",
        "Europe/./Paris",
        "Europe//Paris",
        "Europe/Paris/",
        "Europe/Par is",
        "Europe/Paris\n",
        "Europe\\Paris",
        "zone.tab",
        "Nowhere/Zone",
        "Europe",
        "Europe/Paris/x",
        "Junk",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    };
    struct ob_tz *tz;

    /* A file that is not TZif at all is not a zone either. */
    write_file(tmpdir, "Junk", "not a zone\n", 11);
    for (size_t i = 0; i < LEN(bad); i++) {
        const char *dir = strcmp(bad[i], "Junk") == 0 ? tmpdir : NULL;
        /* Any non-NULL value: the call must reset it on failure. */
        tz = (struct ob_tz *)&tz;
        OB_CHECK_INT(ob_tz_load(bad[i], dir, &tz), OB_ERR_INPUT);
        OB_CHECK(tz == NULL);
    }
    /* A directory that does not exist: the zone is not found. */
    OB_CHECK_INT(ob_tz_load("Europe/Paris", "/nonexistent/zoneinfo", &tz),
                 OB_ERR_INPUT);
}

static unsigned char *
read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = malloc(1 << 20);
    size_t n = 0;

    if (f && buf)
        n = fread(buf, 1, 1 << 20, f);
    if (f)
        fclose(f);
    *len = n;
    return buf;
}

/* Every truncation of a real file is refused as corrupt, never a crash. */
static void
test_truncated(void)
{
    size_t len = 0;
    unsigned char *data = read_all("/usr/share/zoneinfo/Europe/Paris", &len);
    long bad = 0;
    struct ob_tz *tz = NULL;

    OB_CHECK(data != NULL && len > 1000);
    for (size_t n = 4; data && n < len; n++) {
        write_file(tmpdir, "Bad", data, n);
        bad += ob_tz_load("Bad", tmpdir, &tz) != OB_ERR_ENV || tz != NULL;
    }
    OB_CHECK_INT(bad, 0);
    write_file(tmpdir, "Bad", data, len);
    OB_CHECK_INT(ob_tz_load("Bad", tmpdir, &tz), OB_OK);
    ob_tz_free(tz);
    free(data);
}

/* Loads a patched copy of the slim Paris file. */
static enum ob_err
load_patched(size_t at, const char *bytes, size_t n)
{
    unsigned char copy[sizeof(slim_paris)];
    struct ob_tz *tz = NULL;
    enum ob_err err;

    memcpy(copy, slim_paris, sizeof(copy));
    memcpy(copy + at, bytes, n);
    write_file(tmpdir, "Bad", copy, sizeof(slim_paris) - 1);
    err = ob_tz_load("Bad", tmpdir, &tz);
    if (tz)
        (void)ob_tz_local_to_utc(tz, ob_tz_offset_at(tz, 1774746000));
    ob_tz_free(tz);
    return err;
}

/*
 * Offsets into slim_paris (162 bytes): the 64-bit header starts at 51 and
 * its timecnt is at 83; transition times at 95, their type indices at 111,
 * ttinfo entries at 113 and 119, names at 125, the footer's newline at 134
 * and "CET-1CEST,M3.5.0,M10.5.0/3" from 135.
 */
static void
test_corrupt(void)
{
    OB_CHECK_INT(load_patched(0, "TZif", 4), OB_OK);
    OB_CHECK_INT(load_patched(83, "\xff\xff\xff\xff", 4), OB_ERR_ENV);
    OB_CHECK_INT(load_patched(83, "\x00\x00\x00\x10", 4), OB_ERR_ENV);
    OB_CHECK_INT(load_patched(51, "TZix", 4), OB_ERR_ENV);
    OB_CHECK_INT(load_patched(111, "\x02", 1), OB_ERR_ENV); /* type index */
    OB_CHECK_INT(load_patched(95, "\x7f", 1), OB_ERR_ENV);  /* order */
    OB_CHECK_INT(load_patched(113, "\x7f", 1), OB_ERR_ENV); /* utoff */
    OB_CHECK_INT(load_patched(117, "\x02", 1), OB_ERR_ENV); /* isdst */
    OB_CHECK_INT(load_patched(118, "\x20", 1), OB_ERR_ENV); /* abbr index */
    OB_CHECK_INT(load_patched(134, "X", 1), OB_ERR_ENV);    /* newline */
    OB_CHECK_INT(load_patched(135, "1", 1), OB_ERR_ENV);    /* name */
    OB_CHECK_INT(load_patched(139, "X", 1), OB_ERR_ENV);    /* offset */
    OB_CHECK_INT(load_patched(144, "X", 1), OB_ERR_ENV);    /* comma */
    OB_CHECK_INT(load_patched(146, "13", 2), OB_ERR_ENV);   /* month */
    OB_CHECK_INT(load_patched(148, "6", 1), OB_ERR_ENV);    /* week */
    OB_CHECK_INT(load_patched(150, "7", 1), OB_ERR_ENV);    /* weekday */
    OB_CHECK_INT(load_patched(153, "\n", 1), OB_ERR_ENV);   /* cut short */
    OB_CHECK_INT(load_patched(161, "X", 1), OB_ERR_ENV);    /* no newline */
    /* Still valid: "CET+1" is one hour west, the data is sound. */
    OB_CHECK_INT(load_patched(138, "+", 1), OB_OK);
}

/* Flipping any byte may change the answer but must never crash. */
static void
test_bit_flips(void)
{
    static const unsigned char masks[] = {0x01, 0x80, 0xff};
    long ok = 0;

    for (size_t i = 0; i < sizeof(slim_paris) - 1; i++) {
        for (size_t m = 0; m < LEN(masks); m++) {
            char b = (char)(slim_paris[i] ^ masks[m]);
            ok += load_patched(i, &b, 1) == OB_OK;
        }
    }
    OB_CHECK(ok > 0);
}

int
main(void)
{
    setup_tmpdir();
    OB_RUN(test_real_offsets);
    OB_RUN(test_paris_2026);
    OB_RUN(test_real_locals);
    OB_RUN(test_day_start_and_date_of);
    OB_RUN(test_slim_files);
    OB_RUN(test_extremes);
    OB_RUN(test_footer_matches_table);
    OB_RUN(test_round_trips);
    OB_RUN(test_builtin_utc);
    OB_RUN(test_bad_names);
    OB_RUN(test_truncated);
    OB_RUN(test_corrupt);
    OB_RUN(test_bit_flips);
    cleanup_tmpdir();
    return OB_TEST_DONE();
}
