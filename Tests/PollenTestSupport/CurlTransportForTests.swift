import Foundation
import PollenHTTP

/// Plain GETs and POSTs for tests (admin and log endpoints of test servers).
public enum CurlTransportForTests {
    private static let transport = CurlTransport()

    public static func get(_ url: String) async throws -> Data {
        try await transport.send(HTTPRequest(method: "GET", url: URL(string: url)!)).body
    }

    public static func post(_ url: String) async throws -> Data {
        try await transport.send(HTTPRequest(method: "POST", url: URL(string: url)!)).body
    }
}
