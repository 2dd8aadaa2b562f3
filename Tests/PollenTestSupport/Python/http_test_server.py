"""A small HTTP/1.1 server for the transport tests.

Prints `ready <port>` once listening on 127.0.0.1 (port 0 picks a free one). Endpoints:
  /echo          the request back as JSON: method, path, headers, base64 body, client port
  /slow?ms=N     answers after N milliseconds
  /reset         closes the connection without answering
  /status/NNN    answers with status NNN
  /stats         {"connections": distinct client ports seen, "maxInFlight": N}
"""
import base64
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

lock = threading.Lock()
state = {"ports": set(), "inflight": 0, "max": 0}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlparse(self.path)
        with lock:
            state["ports"].add(self.client_address[1])
            state["inflight"] += 1
            state["max"] = max(state["max"], state["inflight"])
        try:
            if url.path == "/echo":
                self._reply(200, {
                    "method": self.command,
                    "path": self.path,
                    "headers": [[k, v] for k, v in self.headers.items()],
                    "body": base64.b64encode(body).decode(),
                    "clientPort": self.client_address[1],
                })
            elif url.path == "/slow":
                time.sleep(int(parse_qs(url.query).get("ms", ["100"])[0]) / 1000)
                self._reply(200, {"slept": True})
            elif url.path == "/reset":
                self.close_connection = True
                self.connection.shutdown(2)
            elif url.path.startswith("/status/"):
                self._reply(int(url.path.rsplit("/", 1)[1]), {"status": "as asked"})
            elif url.path == "/stats":
                with lock:
                    self._reply(200, {"connections": len(state["ports"]), "maxInFlight": state["max"]})
            else:
                self._reply(404, {"error": "no such path"})
        finally:
            with lock:
                state["inflight"] -= 1

    do_GET = do_POST = do_PUT = do_DELETE = _handle


ThreadingHTTPServer.request_queue_size = 128
server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Handler)
server.daemon_threads = True
print(f"ready {server.server_address[1]}", flush=True)
server.serve_forever()
