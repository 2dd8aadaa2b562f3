/// The seam between service clients and the network.
///
/// Service clients (DynamoDB, CloudWatch, Alpha Vantage) depend on this protocol only, so tests
/// can put a scripted transport in place of the real one. Implementations must allow many
/// requests in flight at once from concurrent tasks.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the complete response, whatever its status code.
    ///
    /// Throws ``HTTPTransportError`` when no response was received.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
