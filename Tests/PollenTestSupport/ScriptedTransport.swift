import Foundation
import PollenHTTP
import Synchronization

/// An ``HTTPTransport`` test double: records every request and answers with a script.
public final class ScriptedTransport: HTTPTransport {
    public typealias Responder = @Sendable (HTTPRequest, Int) throws -> HTTPResponse

    private let responder: Responder
    private let recorded = Mutex<[HTTPRequest]>([])

    /// `responder` gets each request and its 0-based index.
    public init(_ responder: @escaping Responder) {
        self.responder = responder
    }

    /// Answers every request with the same status, body and headers.
    public convenience init(status: Int, body: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.init { _, _ in HTTPResponse(status: status, headers: headers, body: Data(body.utf8)) }
    }

    public var requests: [HTTPRequest] { recorded.withLock { $0 } }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let index = recorded.withLock { list -> Int in
            list.append(request)
            return list.count - 1
        }
        return try responder(request, index)
    }
}
