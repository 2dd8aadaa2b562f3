"""The HTTP server: werkzeug's threaded server with a keep-alive request handler.

werkzeug's own handler closes the connection after every response; the Swift
client (and botocore) reuse connections, so this handler reads each request
body exactly, always answers with a Content-Length, keeps the connection
open, never logs requests, and can drop a connection without answering (the
"reset after apply" fault).
"""

import io
import socket
import struct
import sys
import threading
import traceback

from werkzeug.serving import DechunkedInput, ThreadedWSGIServer, WSGIRequestHandler

from .middleware import RESET_KEY, run_wsgi

_NO_BODY_STATUSES = (204, 304)
_HOP_BY_HOP = frozenset(("connection", "content-length", "transfer-encoding", "keep-alive"))


class KeepAliveHandler(WSGIRequestHandler):
    """Runs the WSGI app for each request of a persistent HTTP/1.1 connection."""

    protocol_version = "HTTP/1.1"
    server_version_text = "pollen-local-dynamodb"
    timeout = 600  # idle keep-alive connections are closed after this many seconds

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    # -- quiet: no per-request log lines ---------------------------------
    def log_request(self, code="-", size="-"):
        pass

    def log_message(self, format, *args):
        pass

    def log_error(self, format, *args):
        pass

    def _read_body(self, environ):
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = DechunkedInput(self.rfile).read()
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        else:
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            body = self.rfile.read(length) if length > 0 else b""
            if len(body) < length:
                raise ConnectionResetError("client closed the connection mid-body")
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input"] = io.BytesIO(body)
        environ["wsgi.input_terminated"] = False

    def run_wsgi(self):
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        environ = self.make_environ()
        self._read_body(environ)

        server = self.server
        server.enter()
        try:
            try:
                status, headers, body = run_wsgi(server.app, environ)
            except Exception:
                traceback.print_exc(file=sys.stderr)
                status, headers = "500 Internal Server Error", [("Content-Type", "text/plain")]
                body = b"internal error in the local DynamoDB wrapper\n"

            if environ.get(RESET_KEY):
                self._drop_connection()
                return
            self._write_response(environ, status, headers, body)
        finally:
            server.leave()

    def _write_response(self, environ, status, headers, body):
        code = int(status.split(" ", 1)[0])
        lines = [f"HTTP/1.1 {status}\r\n"]
        content_length = None
        has_server = False
        for key, value in headers:
            lowered = key.lower()
            if lowered == "content-length":
                content_length = value
            elif lowered == "server":
                has_server = True
            if lowered in _HOP_BY_HOP:
                continue
            lines.append(f"{key}: {value}\r\n")
        send_body = environ["REQUEST_METHOD"] != "HEAD" and code not in _NO_BODY_STATUSES and code >= 200
        if environ["REQUEST_METHOD"] == "HEAD" and content_length is not None:
            lines.append(f"Content-Length: {content_length}\r\n")
        elif code >= 200 and code not in _NO_BODY_STATUSES:
            lines.append(f"Content-Length: {len(body)}\r\n")
        if not has_server:
            lines.append(f"Server: {self.server_version_text}\r\n")
        lines.append(f"Date: {self.date_time_string()}\r\n")
        if self.close_connection:
            lines.append("Connection: close\r\n")
        lines.append("\r\n")
        head = "".join(lines).encode("latin-1")
        self.wfile.write(head + body if send_body else head)
        self.wfile.flush()

    def _drop_connection(self):
        """Close the TCP connection abruptly (RST) without sending a response."""
        self.close_connection = True
        sock = self.connection
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.server.mark_dropped(sock)


class PollenServer(ThreadedWSGIServer):
    """Threaded werkzeug server that counts in-flight requests for a graceful stop."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, *args, **kwargs):
        self._active = 0
        self._dropped = set()
        self._dropped_lock = threading.Lock()
        self._idle = threading.Condition()
        super().__init__(*args, **kwargs)

    def enter(self):
        with self._idle:
            self._active += 1

    def leave(self):
        with self._idle:
            self._active -= 1
            if self._active == 0:
                self._idle.notify_all()

    def wait_idle(self, timeout):
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout)

    def mark_dropped(self, sock):
        with self._dropped_lock:
            self._dropped.add(sock)

    def shutdown_request(self, request):
        # A dropped ("reset") connection must end with RST, not FIN: skip the
        # graceful half-close of the base class, close with SO_LINGER 0.
        with self._dropped_lock:
            dropped = request in self._dropped
            self._dropped.discard(request)
        if dropped:
            self.close_request(request)
        else:
            super().shutdown_request(request)


def make_server(host, port, app):
    return PollenServer(host, port, app, handler=KeepAliveHandler)
