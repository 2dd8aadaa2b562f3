"""The WSGI layer between the HTTP server and moto.

Routes each request: ``/_pollen/...`` to the admin API, DynamoDB JSON-protocol
requests (``X-Amz-Target: DynamoDB_20120810.*``) through fault injection and
the write handlers, everything else (CloudWatch, ...) to moto untouched.
Every DynamoDB response leaves with a correct Content-Length and x-amz-crc32.
"""

import io
import json
import sys
import time
import traceback
import uuid

from .admin import Admin
from .backend import Backend
from .crc import crc32_header
from .errors import JSON_CONTENT_TYPE, DynamoError, expired_token, internal_server_error
from .tables import TableHandlers
from .writes import WriteHandlers, is_validation_error

DYNAMODB_TARGET = "DynamoDB_20120810."
RESET_KEY = "pollen.reset_connection"  # set in environ: the server drops the connection

_REPLACED_HEADERS = frozenset(("content-length", "x-amz-crc32", "transfer-encoding", "connection"))
_STATUS_TEXT = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
                413: "Request Entity Too Large", 500: "Internal Server Error"}


class Response:
    """A fully buffered response."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def with_body(self, body):
        return Response(self.status, self.headers, body)

    @classmethod
    def from_error(cls, error):
        return cls(error.status, [("Content-Type", JSON_CONTENT_TYPE)], error.body())


class Call:
    """One DynamoDB request: its environ, raw body and (lazily) parsed JSON and backend."""

    __slots__ = ("environ", "body", "operation", "_json", "_backend")

    def __init__(self, environ, body, operation):
        self.environ = environ
        self.body = body
        self.operation = operation
        self._json = None
        self._backend = None

    @property
    def json(self):
        if self._json is None:
            try:
                parsed = json.loads(self.body or b"{}")
            except ValueError:
                raise DynamoError(400, "SerializationException", "Start of structure or map found where not expected.")
            if not isinstance(parsed, dict):
                raise DynamoError(400, "SerializationException", "Start of structure or map found where not expected.")
            self._json = parsed
        return self._json

    @property
    def backend(self):
        if self._backend is None:
            self._backend = Backend(self.environ)
        return self._backend


def run_wsgi(app, environ):
    """Runs a WSGI application to the end; returns its status line, headers and whole body."""
    captured = []
    chunks = []

    def start_response(status, headers, exc_info=None):
        captured[:] = [status, headers]
        return chunks.append

    result = app(environ, start_response)
    try:
        for chunk in result:
            chunks.append(chunk)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return captured[0], captured[1], b"".join(chunks)


def read_body(environ):
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ.get("wsgi.input")
    if stream is None or length <= 0:
        return b""
    return stream.read(length)


class PollenMiddleware:
    """The WSGI application the server runs: moto's app wrapped with DynamoDB's behaviour."""

    def __init__(self, moto_app, capacity, faults, stats):
        self.moto_app = moto_app
        self.capacity = capacity
        self.faults = faults
        self.stats = stats
        self._dynamodb_app = None
        self.admin = Admin(capacity, faults, stats)
        self.handlers = WriteHandlers(capacity, stats, self.forward).table()
        self.handlers.update(TableHandlers(capacity, self.forward).table())

    # ------------------------------------------------------------ WSGI entry

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/_pollen/"):
            status, body = self.admin(environ)
            start_response(
                f"{status} {_STATUS_TEXT.get(status, 'OK')}",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith(DYNAMODB_TARGET):
            return self.moto_app(environ, start_response)
        return self.dynamodb(environ, start_response, target[len(DYNAMODB_TARGET):])

    # ------------------------------------------------------------ DynamoDB

    def dynamodb(self, environ, start_response, operation):
        call = Call(environ, read_body(environ), operation)
        self.stats.request(operation)
        decision = self.faults.decide()
        if self.faults.expired_credentials:
            response = Response.from_error(expired_token())
        elif decision.error:
            self.stats.internal_error()
            response = Response.from_error(internal_server_error())
        else:
            response = self._handle(call)
        if decision.delay > 0:
            time.sleep(decision.delay)
        if decision.reset:
            self.stats.reset()
            environ[RESET_KEY] = True
        return self._send(start_response, response)

    def _handle(self, call):
        handler = self.handlers.get(call.operation)
        try:
            if handler is None:
                response = self.forward(call, call.body)
            else:
                response = handler(call)
        except DynamoError as error:
            if error.error_type == "ValidationException":
                self.stats.validation_error()
            return Response.from_error(error)
        except Exception:  # a bug here must not look like a DynamoDB success
            traceback.print_exc(file=sys.stderr)
            self.stats.internal_error()
            return Response.from_error(internal_server_error())
        if handler is None or response.status != 200:
            if is_validation_error(response):
                self.stats.validation_error()
        return response

    def forward(self, call, body):
        """Run moto's application on ``call`` with ``body`` and buffer its response."""
        environ = dict(call.environ)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        app = self._dynamodb_app
        if app is None:
            app = self.moto_app.get_application(environ)
            self._dynamodb_app = app
        status, headers, body = run_wsgi(app, environ)
        return Response(int(status.split(" ", 1)[0]), headers, body)

    def _send(self, start_response, response):
        body = response.body
        headers = [(k, v) for k, v in response.headers if k.lower() not in _REPLACED_HEADERS]
        if not any(k.lower() == "x-amzn-requestid" for k, _ in headers):
            headers.append(("x-amzn-RequestId", uuid.uuid4().hex.upper()))
        headers.append(("x-amz-crc32", crc32_header(body)))
        headers.append(("Content-Length", str(len(body))))
        start_response(f"{response.status} {_STATUS_TEXT.get(response.status, 'OK')}", headers)
        return [body]
