import Foundation
import PollenHTTP

/// The local DynamoDB of CONTRACT section 4 (`scripts/local-dynamodb`), started on a free
/// loopback port for a test and stopped with SIGTERM when the test is done.
public final class LocalDynamoDB: @unchecked Sendable {
    public let port: Int
    public let endpoint: String
    private let server: PythonServer
    private let adminTransport = CurlTransport()

    /// Environment that points pollen and boto3 at this server with dummy credentials.
    public var environment: [String: String?] {
        ["AWS_ENDPOINT_URL_DYNAMODB": endpoint, "AWS_ENDPOINT_URL": nil, "AWS_ACCESS_KEY_ID": "AKIDPOLLENTEST",
         "AWS_SECRET_ACCESS_KEY": "pollen-test-secret", "AWS_SESSION_TOKEN": nil, "AWS_REGION": "us-east-1",
         "AWS_PROFILE": nil, "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"]
    }

    /// Starts the server with extra `arguments` (`--table-wcu`, `--error-rate`, ...).
    public init(arguments: [String] = []) throws {
        port = try FreePort.find()
        endpoint = "http://127.0.0.1:\(port)"
        server = try PythonServer(script: "scripts/local-dynamodb", arguments: ["--port", String(port)] + arguments,
                                  port: port)
    }

    /// Changes fault settings while the server runs (`POST /_pollen/faults`).
    public func setFaults(_ settings: [String: Any]) async throws {
        _ = try await admin("faults", method: "POST", body: try JSONSerialization.data(withJSONObject: settings))
    }

    /// Removes `--table-wcu`-style limits from tables (`{"table_wcu": {"t": null}}`).
    public func removeTableLimits(_ tables: [String]) async throws {
        let entries = tables.map { "\"\($0)\": null" }.joined(separator: ", ")
        _ = try await admin("faults", method: "POST", body: Data("{\"table_wcu\": {\(entries)}}".utf8))
    }

    /// The server's counters (`GET /_pollen/stats`).
    public func stats() async throws -> [String: Any] {
        try await admin("stats", method: "GET", body: nil)
    }

    private func admin(_ path: String, method: String, body: Data?) async throws -> [String: Any] {
        let payload = body ?? Data()
        let response = try await adminTransport.send(
            HTTPRequest(method: method, url: URL(string: "\(endpoint)/_pollen/\(path)")!,
                        headers: ["Content-Type": "application/json"], body: payload))
        return (try JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:]
    }

    /// Stops the server; returns its exit status.
    @discardableResult
    public func stop() -> Int32 { server.stop() }

    deinit {
        stop()
    }
}

public enum LocalDynamoDBError: Error {
    case noFreePort
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
public enum FreePort {
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw LocalDynamoDBError.noFreePort }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
