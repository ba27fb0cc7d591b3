# python-http.py - the job of tight-python-http (tight.leash, run by
# tests/live/run-runtime-calls.sh): http.server in a thread answers
# urllib on the container's loopback; it prints python-ok.
import http.server, threading, urllib.request
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        b = b"python-ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 18000), H)
threading.Thread(target=s.serve_forever, daemon=True).start()
print(urllib.request.urlopen("http://127.0.0.1:18000/").read().decode(), end="")
s.shutdown()
