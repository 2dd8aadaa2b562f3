/// Why a request got no HTTP response.
///
/// Cases name the failure, not the library that saw it, so callers can decide whether a
/// retry is safe. Messages name the host, never a URL's query string (it may hold an API key).
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host name did not resolve.
    case unresolvableHost(String)
    /// The TCP connection was refused or could not be made in time.
    case connectFailed(String)
    /// The request took longer than the configured timeout.
    case timedOut(String)
    /// The connection broke before a whole response arrived; the request may have been applied.
    case connectionReset(String)
    /// The TLS handshake or certificate verification failed.
    case tlsFailure(String)
    /// The request was refused before sending (for example, plain HTTP to a remote host).
    case invalidRequest(String)
    /// The task sending the request was cancelled.
    case cancelled
    /// Any other failure the transport reported.
    case other(String)

    /// Whether sending the same request again may succeed.
    public var isRetryable: Bool {
        switch self {
        case .connectFailed, .timedOut, .connectionReset, .other: return true
        case .unresolvableHost, .tlsFailure, .invalidRequest, .cancelled: return false
        }
    }

    public var description: String {
        switch self {
        case .unresolvableHost(let host): return "cannot resolve host \(host)"
        case .connectFailed(let detail): return "cannot connect: \(detail)"
        case .timedOut(let detail): return "request timed out: \(detail)"
        case .connectionReset(let detail): return "connection reset: \(detail)"
        case .tlsFailure(let detail): return "TLS failure: \(detail)"
        case .invalidRequest(let detail): return "invalid request: \(detail)"
        case .cancelled: return "request cancelled"
        case .other(let detail): return detail
        }
    }
}
