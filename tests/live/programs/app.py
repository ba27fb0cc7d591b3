# app.py - a tiny WSGI application for profiles/python-http.leash
# (tests/live/run-programs.sh), served by the standard library's
# wsgiref server: one process, one thread, no third-party module.
#
#   python3 -B app.py PORT DATADIR
#
# It writes its pid to DATADIR/app.pid, then serves:
#   GET /              "hello from python"
#   GET /count         appends a line to DATADIR/hits, answers the count
#   GET /write?PATH    tries to create PATH: "ok" or the errno's name
#   GET /fork          tries os.fork(): "ok" or the errno's name
#   GET /connect?PORT  tries a TCP connection to 127.0.0.1:PORT: "ok" or
#                      the errno's name
#   GET /quit          answers "bye", then the server exits 0
#
# /write, /fork and /connect let the test see the policy refuse
# something from inside the confined program.  Confined, the process has
# no business writing outside DATADIR, starting processes or connecting
# anywhere but to its database.

import errno
import os
import socket
import sys
from urllib.parse import unquote
from wsgiref.simple_server import WSGIRequestHandler, make_server

DATA = sys.argv[2] if len(sys.argv) > 2 else "."
done = False


def failure(e):
    return errno.errorcode.get(e.errno, str(e.errno))


def write(path):
    try:
        with open(path, "x") as f:
            f.write("written\n")
    except OSError as e:
        return failure(e)
    return "ok"


def fork():
    try:
        pid = os.fork()
    except OSError as e:
        return failure(e)
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return "ok"


def connect(port):
    try:
        with socket.create_connection(("127.0.0.1", int(port)), timeout=5):
            pass
    except OSError as e:
        return failure(e)
    return "ok"


def count():
    with open(os.path.join(DATA, "hits"), "a+") as f:
        f.write("hit\n")
        f.seek(0)
        return str(len(f.readlines()))


def app(environ, start_response):
    global done
    path = environ.get("PATH_INFO", "/")
    if path == "/":
        body = "hello from python"
    elif path == "/count":
        body = count()
    elif path == "/write":
        body = write(unquote(environ.get("QUERY_STRING", "")))
    elif path == "/fork":
        body = fork()
    elif path == "/connect":
        body = connect(environ.get("QUERY_STRING", "0"))
    elif path == "/quit":
        done = True
        body = "bye"
    else:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [(body + "\n").encode()]


class QuietHandler(WSGIRequestHandler):
    # The default handler looks up the client's host name for its log
    # line; keep the log short and local.
    def address_string(self):
        return self.client_address[0]


def main():
    port = int(sys.argv[1])
    with make_server("127.0.0.1", port, app, handler_class=QuietHandler) as srv:
        with open(os.path.join(DATA, "app.pid"), "w") as f:
            f.write("%d\n" % os.getpid())
        print("listening on", port, flush=True)
        while not done:
            srv.handle_request()
    return 0


if __name__ == "__main__":
    sys.exit(main())
