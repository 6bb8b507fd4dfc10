#!/usr/bin/python3
# mail_smtpd.py MODE DIR [OPTIONS]: a real SMTP server on 127.0.0.1 for
# tests/e2e/mail.sh, on Debian's python3-aiosmtpd (run it with /usr/bin/python3:
# the python3 first in PATH may not see Debian's packages).
#
# It binds port 0 and writes the port it got to DIR/port once it listens,
# so tests never collide on a port. Each message that arrives is saved as
# DIR/msg-N.eml (the bytes of the DATA, dot-unstuffed) and DIR/msg-N.json
# (envelope sender, recipients, login, whether TLS was on). Runs until
# killed.
#
# MODE:
#   starttls  offers STARTTLS (--cert/--key), requires it, and requires AUTH
#             (--user/--password) once TLS is on
#   smtps     TLS from the first byte (implicit TLS), requires AUTH
#   plain     no TLS and no AUTH at all
#   silent    accepts connections and never says a word (timeouts)
# --reject ADDR: answers RCPT TO:<ADDR> with 550.
# SPDX-License-Identifier: MIT
import argparse
import asyncio
import json
import os
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult

# aiosmtpd 1.4 warns about its own use of a deprecated attribute
warnings.filterwarnings("ignore", message="Session.login_data")


class Saver:
    def __init__(self, out, reject):
        self.out = out
        self.reject = reject
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.reject and address.lower() == self.reject.lower():
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        base = os.path.join(self.out, "msg-%d" % self.n)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        auth = session.auth_data
        login = auth.login.decode() if auth is not None else None
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": login,
            "tls": session.ssl is not None,
        }
        with open(base + ".json", "w") as f:
            json.dump(meta, f)
        return "250 2.0.0 Message accepted"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login.decode() == user and
              auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data)
    return check


def tls_context(args):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)
    return ctx


def factory(args, handler):
    common = dict(hostname="localhost", decode_data=False)
    if args.mode == "plain":
        return lambda: SMTP(handler, auth_require_tls=False, **common)
    auth = dict(auth_required=True,
                authenticator=authenticator(args.user, args.password))
    if args.mode == "smtps":
        return lambda: SMTP(handler, auth_require_tls=False, **auth, **common)
    ctx = tls_context(args)
    return lambda: SMTP(handler, tls_context=ctx, require_starttls=True,
                        auth_require_tls=True, **auth, **common)


class Silent(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport  # keep it open, say nothing


async def serve(args):
    loop = asyncio.get_running_loop()
    if args.mode == "silent":
        server = await loop.create_server(Silent, "127.0.0.1", 0)
    else:
        handler = Saver(args.dir, args.reject)
        ssl_ctx = tls_context(args) if args.mode == "smtps" else None
        server = await loop.create_server(factory(args, handler),
                                          "127.0.0.1", 0, ssl=ssl_ctx)
    port = server.sockets[0].getsockname()[1]
    tmp = os.path.join(args.dir, "port.tmp")
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, os.path.join(args.dir, "port"))
    async with server:
        await server.serve_forever()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["starttls", "smtps", "plain", "silent"])
    p.add_argument("dir")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--user", default="ops")
    p.add_argument("--password", default="s3cret")
    p.add_argument("--reject")
    args = p.parse_args()
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
