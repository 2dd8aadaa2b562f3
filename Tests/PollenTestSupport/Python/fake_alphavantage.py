"""A fake Alpha Vantage API for the live-source tests (test code, loopback only).

Usage: fake_alphavantage.py DATA_DIR API_KEY SCRIPT_JSON
Serves GET /query?function=F&symbol=S&apikey=K from DATA_DIR/S/F.json. SCRIPT_JSON maps
"SYMBOL/FUNCTION" to a list of answers, one per request in order (the last one repeats):
"ok", "information", "note", "error", "empty", "500", "slow:MS". Requests with a wrong or
missing key get Alpha Vantage's error body. GET /_log returns every request seen:
time (monotonic seconds), symbol, function, keyInQuery (bool), keyElsewhere (bool).
Prints "ready PORT" once listening on 127.0.0.1.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATA = Path(sys.argv[1])
KEY = sys.argv[2]
SCRIPT = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
lock = threading.Lock()
log = []
counts = {}

INFORMATION = {"Information": "Thank you for using Alpha Vantage! Our standard API rate limit is 25 requests per day."}
NOTE = {"Note": "Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day."}
ERROR = {"Error Message": "Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY."}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, payload):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/_log":
            with lock:
                return self.send_json(200, log)
        query = parse_qs(url.query)
        symbol = query.get("symbol", [""])[0]
        function = query.get("function", [""])[0]
        key_in_query = query.get("apikey", [""])[0] == KEY
        key_elsewhere = any(KEY in value for value in self.headers.values()) or KEY in url.path
        with lock:
            log.append({"time": time.monotonic(), "symbol": symbol, "function": function,
                        "keyInQuery": key_in_query, "keyElsewhere": key_elsewhere})
            name = f"{symbol}/{function}"
            index = counts.get(name, 0)
            counts[name] = index + 1
        if not key_in_query:
            return self.send_json(200, ERROR)
        answers = SCRIPT.get(name, ["ok"])
        answer = answers[min(index, len(answers) - 1)]
        if answer.startswith("slow:"):
            time.sleep(int(answer.split(":")[1]) / 1000)
            answer = "ok"
        if answer == "information":
            return self.send_json(200, INFORMATION)
        if answer == "note":
            return self.send_json(200, NOTE)
        if answer == "error":
            return self.send_json(200, ERROR)
        if answer == "empty":
            return self.send_json(200, {})
        if answer == "500":
            return self.send_json(500, {"error": "server error"})
        path = DATA / symbol / f"{function}.json"
        if not path.exists():
            return self.send_json(200, ERROR)
        return self.send_json(200, path.read_bytes())


ThreadingHTTPServer.request_queue_size = 64
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(f"ready {server.server_address[1]}", flush=True)
server.serve_forever()
