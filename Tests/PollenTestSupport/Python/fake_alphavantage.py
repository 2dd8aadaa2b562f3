"""A fake Alpha Vantage API for the live-source tests (test code, loopback only).

Usage: fake_alphavantage.py DATA_DIR API_KEY SCRIPT_JSON [DAILY_LIMIT]
Serves GET /query?function=F&symbol=S&apikey=K from DATA_DIR/S/F.json. SCRIPT_JSON maps
"SYMBOL/FUNCTION" to a list of answers, one per request in order (the last one repeats):
"ok", "information" (an unknown notice), "burst", "daily", "premium", "note", "error",
"empty", "500", "slow:MS". With DAILY_LIMIT, every request after the key's DAILY_LIMIT-th of
the "day" gets the real daily-limit body; POST /_reset[?limit=N] starts a new day. Requests with a
wrong or missing key get the real invalid-key body, which quotes the request URL (as Alpha
Vantage's notices may). GET /_log returns every request seen: time (monotonic seconds),
symbol, function, keyInQuery (bool), keyElsewhere (bool), answer.
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
DAILY_LIMIT = int(sys.argv[4]) if len(sys.argv) > 4 else None
lock = threading.Lock()
log = []
counts = {}
today = {"requests": 0}

# The texts alphavantage-fields.md lists.
INFORMATION = {"Information": "Thank you for using Alpha Vantage! This is a notice of a kind Pollen has not seen."}
DAILY = {"Information": "We have detected your API key as XXXX and our standard API rate limit is 25 requests per day. "
         "Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all "
         "daily rate limits."}
BURST = {"Information": "Thank you for using Alpha Vantage! Please consider spreading out your free API requests more "
         "sparingly (1 request per second). You may subscribe to any of the premium plans at "
         "https://www.alphavantage.co/premium/ to lift the free key rate limit (25 requests per day) and instantly "
         "unlock all premium endpoints"}
PREMIUM = {"Information": "Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of "
           "the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints"}
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

    def do_POST(self):
        url = urlparse(self.path)
        if url.path == "/_reset":
            global DAILY_LIMIT
            limit = parse_qs(url.query).get("limit", [None])[0]
            with lock:
                today["requests"] = 0
                if limit is not None:
                    DAILY_LIMIT = int(limit)
            return self.send_json(200, {"reset": True})
        return self.send_json(404, {})

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
            name = f"{symbol}/{function}"
            index = counts.get(name, 0)
            counts[name] = index + 1
            answers = SCRIPT.get(name, ["ok"])
            answer = answers[min(index, len(answers) - 1)]
            if not key_in_query:
                answer = "invalid-key"
            elif DAILY_LIMIT is not None:
                today["requests"] += 1
                if today["requests"] > DAILY_LIMIT:
                    answer = "daily"
            log.append({"time": time.monotonic(), "symbol": symbol, "function": function,
                        "keyInQuery": key_in_query, "keyElsewhere": key_elsewhere, "answer": answer})
        if answer == "invalid-key":
            return self.send_json(200, {"Error Message": "the parameter apikey is invalid or missing. Please claim your "
                                        f"free API key on (https://www.alphavantage.co/support/#api-key). Request: {self.path}"})
        if answer == "daily":
            return self.send_json(200, DAILY)
        if answer == "burst":
            return self.send_json(200, BURST)
        if answer == "premium":
            return self.send_json(200, PREMIUM)
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
