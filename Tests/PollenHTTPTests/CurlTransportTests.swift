import Foundation
import PollenHTTP
import PollenTestSupport
import XCTest

/// The libcurl transport against a real HTTP/1.1 server on loopback.
final class CurlTransportTests: XCTestCase {
    nonisolated(unsafe) static var server: PythonServer!
    var base: String { "http://127.0.0.1:\(Self.server.port)" }

    override class func setUp() {
        server = try! PythonServer(script: "Tests/PollenTestSupport/Python/http_test_server.py", arguments: ["0"], port: 0)
    }

    override class func tearDown() {
        server.stop()
    }

    func echo(_ response: HTTPResponse) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    func headerPairs(_ echo: [String: Any]) -> [(String, String)] {
        (echo["headers"] as? [[String]] ?? []).map { ($0[0], $0[1]) }
    }

    func testPostSendsMethodHeadersAndBodyExactly() async throws {
        let transport = CurlTransport()
        let body = Data((0..<300_000).map { UInt8($0 % 251) })
        let request = HTTPRequest(method: "POST", url: URL(string: "\(base)/echo")!,
                                  headers: ["Content-Type": "application/x-amz-json-1.0", "X-Empty": "", "X-Twice": "a"],
                                  body: body)
        let response = try await transport.send(request)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["content-type"], "application/json")
        let echoed = try echo(response)
        XCTAssertEqual(echoed["method"] as? String, "POST")
        XCTAssertEqual(Data(base64Encoded: echoed["body"] as! String), body)
        let headers = headerPairs(echoed)
        XCTAssertTrue(headers.contains { $0.0 == "X-Empty" && $0.1 == "" }, "an empty-valued header is still sent")
        XCTAssertTrue(headers.contains { $0.0 == "Content-Type" && $0.1 == "application/x-amz-json-1.0" })
        XCTAssertFalse(headers.contains { $0.0.lowercased() == "expect" }, "no 100-continue round trip")
    }

    func testGetAndOtherMethods() async throws {
        let transport = CurlTransport()
        let get = try echo(try await transport.send(HTTPRequest(method: "GET", url: URL(string: "\(base)/echo?a=1")!)))
        XCTAssertEqual(get["method"] as? String, "GET")
        XCTAssertEqual(get["path"] as? String, "/echo?a=1")
        let put = try echo(try await transport.send(HTTPRequest(method: "PUT", url: URL(string: "\(base)/echo")!,
                                                                 body: Data("x".utf8))))
        XCTAssertEqual(put["method"] as? String, "PUT")
    }

    func testConnectionsAreReusedAcrossRequests() async throws {
        let transport = CurlTransport()
        var ports = Set<Int>()
        for _ in 0..<8 {
            let echoed = try echo(try await transport.send(HTTPRequest(method: "POST", url: URL(string: "\(base)/echo")!,
                                                                        body: Data("{}".utf8))))
            ports.insert(echoed["clientPort"] as! Int)
        }
        XCTAssertEqual(ports.count, 1, "eight sequential requests should share one kept-alive connection")
    }

    func testManyRequestsAreInFlightAtOnce() async throws {
        let transport = CurlTransport()
        let url = URL(string: "\(base)/slow?ms=400")!
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await transport.send(HTTPRequest(method: "GET", url: url)).status
                }
            }
            for try await status in group { XCTAssertEqual(status, 200) }
        }
        let stats = try echo(try await transport.send(HTTPRequest(method: "GET", url: URL(string: "\(base)/stats")!)))
        XCTAssertGreaterThanOrEqual(stats["maxInFlight"] as! Int, 14, "requests should overlap on the server")
    }

    func testErrorStatusIsAResponseNotAnError() async throws {
        let response = try await CurlTransport().send(HTTPRequest(method: "GET", url: URL(string: "\(base)/status/503")!))
        XCTAssertEqual(response.status, 503)
    }

    func testRequestTimeout() async throws {
        let transport = CurlTransport(configuration: TransportConfiguration(requestTimeoutMilliseconds: 200))
        do {
            _ = try await transport.send(HTTPRequest(method: "GET", url: URL(string: "\(base)/slow?ms=3000")!))
            XCTFail("expected a timeout")
        } catch let error as HTTPTransportError {
            guard case .timedOut = error else { return XCTFail("expected timedOut, got \(error)") }
            XCTAssertTrue(error.isRetryable)
        }
    }

    func testConnectionResetWithoutResponse() async throws {
        do {
            _ = try await CurlTransport().send(HTTPRequest(method: "POST", url: URL(string: "\(base)/reset")!,
                                                           body: Data("{}".utf8)))
            XCTFail("expected a reset")
        } catch let error as HTTPTransportError {
            guard case .connectionReset = error else { return XCTFail("expected connectionReset, got \(error)") }
            XCTAssertTrue(error.isRetryable)
        }
    }

    func testRefusedConnection() async throws {
        let port = try FreePort.find()
        do {
            _ = try await CurlTransport().send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(port)/")!))
            XCTFail("expected connection refused")
        } catch let error as HTTPTransportError {
            guard case .connectFailed(let detail) = error else { return XCTFail("expected connectFailed, got \(error)") }
            XCTAssertTrue(detail.contains("127.0.0.1"))
        }
    }

    func testUnresolvableHost() async throws {
        do {
            _ = try await CurlTransport().send(HTTPRequest(method: "GET", url: URL(string: "https://no-such-host.invalid/")!))
            XCTFail("expected a DNS failure")
        } catch let error as HTTPTransportError {
            XCTAssertEqual(error, .unresolvableHost("no-such-host.invalid"))
            XCTAssertFalse(error.isRetryable)
        }
    }

    func testPlainHTTPToRemoteHostIsRefusedBeforeSending() async throws {
        do {
            _ = try await CurlTransport().send(HTTPRequest(method: "GET", url: URL(string: "http://example.com/")!))
            XCTFail("expected a refusal")
        } catch let error as HTTPTransportError {
            guard case .invalidRequest(let detail) = error else { return XCTFail("got \(error)") }
            XCTAssertTrue(detail.contains("--allow-insecure-endpoint"))
        }
        let permissive = TransportConfiguration(allowsInsecureRemoteHTTP: true)
        XCTAssertNil(permissive.refusal(for: URL(string: "http://example.com/")!))
    }

    func testLoopbackPolicy() {
        let policy = TransportConfiguration()
        for url in ["http://127.0.0.1:1/", "http://localhost/", "http://[::1]:8000/", "http://127.9.8.7/", "https://example.com/"] {
            XCTAssertNil(policy.refusal(for: URL(string: url)!), url)
        }
        for url in ["http://10.0.0.1/", "http://127.0.0.1.example.com/", "http://example.com/", "ftp://127.0.0.1/"] {
            XCTAssertNotNil(policy.refusal(for: URL(string: url)!), url)
        }
    }

    func testCancellationEndsTheRequestPromptly() async throws {
        let transport = CurlTransport()
        let url = URL(string: "\(base)/slow?ms=5000")!
        let task = Task {
            try await transport.send(HTTPRequest(method: "GET", url: url))
        }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let started = ContinuousClock.now
        do {
            _ = try await task.value
            XCTFail("expected cancellation")
        } catch let error as HTTPTransportError {
            XCTAssertEqual(error, .cancelled)
        }
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3))
    }

    func testHeadersAreCaseInsensitiveAndOrdered() {
        var headers = HTTPHeaders([("A", "1"), ("b", "2"), ("a", "3")])
        XCTAssertEqual(headers["a"], "1")
        XCTAssertEqual(headers.values(for: "A"), ["1", "3"])
        headers.replaceOrAdd(name: "A", value: "9")
        XCTAssertEqual(headers.values(for: "a"), ["9"])
        headers.remove(name: "B")
        XCTAssertEqual(headers.count, 1)
    }
}
