import Foundation

/// Limits and policy that apply to every request a transport sends.
public struct TransportConfiguration: Sendable {
    /// Longest wait for a TCP (and TLS) connection, in milliseconds.
    public var connectTimeoutMilliseconds: Int
    /// Longest wait for a whole request and response, in milliseconds.
    public var requestTimeoutMilliseconds: Int
    /// Idle connections kept open for reuse.
    public var maxIdleConnections: Int
    /// Whether plain `http://` may go to hosts other than loopback (credentials and data would
    /// cross the network unencrypted). Off unless the operator asks for it.
    public var allowsInsecureRemoteHTTP: Bool

    public init(connectTimeoutMilliseconds: Int = 5_000, requestTimeoutMilliseconds: Int = 30_000,
                maxIdleConnections: Int = 64, allowsInsecureRemoteHTTP: Bool = false) {
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.requestTimeoutMilliseconds = requestTimeoutMilliseconds
        self.maxIdleConnections = maxIdleConnections
        self.allowsInsecureRemoteHTTP = allowsInsecureRemoteHTTP
    }

    /// Why `url` may not be used under this policy, or `nil` when it may.
    public func refusal(for url: URL) -> HTTPTransportError? {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return .invalidRequest("not an absolute http(s) URL")
        }
        switch scheme {
        case "https":
            return nil
        case "http":
            if allowsInsecureRemoteHTTP || Self.isLoopback(host: host) { return nil }
            return .invalidRequest(
                "plain http to \(host) is refused: use https, a loopback endpoint, or --allow-insecure-endpoint")
        default:
            return .invalidRequest("unsupported URL scheme \(scheme)")
        }
    }

    /// Whether `host` names this machine (`localhost`, `127.0.0.0/8`, `::1`).
    public static func isLoopback(host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        if bare == "localhost" || bare == "::1" { return true }
        let octets = bare.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
