import Foundation
import PollenHTTP

/// Fetches one Alpha Vantage fundamentals body over HTTPS and says what kind of answer it is.
///
/// Alpha Vantage answers errors with HTTP 200: the body decides. The API key travels only in
/// the query string; ``redacted(_:)`` is the form of a URL that may be logged or shown, and
/// the key is cut out of every body and notice text (servers echo request URLs) before
/// anything else sees it.
public struct AlphaVantageClient: Sendable {
    public static let defaultBaseURL = URL(string: "https://www.alphavantage.co/query")!

    public let baseURL: URL
    private let apiKey: String
    private let transport: any HTTPTransport

    public init(baseURL: URL = Self.defaultBaseURL, apiKey: String, transport: any HTTPTransport) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        KnownSecrets.add(apiKey)
        self.transport = transport
    }

    /// What one request got back.
    public enum Answer: Sendable, Equatable {
        /// A body to keep: data, `{}`, or an `Error Message` (the parser says which).
        case body(Data)
        /// An `Information` or `Note` notice (a limit, premium-only, an invalid key), or an
        /// `Error Message` saying the key is invalid.
        case notice(AlphaVantageNotice)
        /// No usable answer (network error, HTTP 5xx or other status); worth retrying.
        case unavailable(String)
    }

    /// The request URL for `function` and `symbol` (with the key: never log it, see ``redacted(_:)``).
    public func url(function: SourceFunction, symbol: String) -> URL {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
        components.queryItems = (components.queryItems ?? []) + [
            URLQueryItem(name: "function", value: function.rawValue),
            URLQueryItem(name: "symbol", value: symbol),
            URLQueryItem(name: "apikey", value: apiKey),
        ]
        return components.url!
    }

    /// `url` with the value of `apikey` replaced, for logs and messages.
    public static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "<url>" }
        components.queryItems = components.queryItems?.map {
            $0.name.lowercased() == "apikey" ? URLQueryItem(name: $0.name, value: "REDACTED") : $0
        }
        return components.string ?? "<url>"
    }

    public func fetch(function: SourceFunction, symbol: String) async -> Answer {
        let request = HTTPRequest(method: "GET", url: url(function: function, symbol: symbol),
                                  headers: ["Accept": "application/json"])
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as HTTPTransportError {
            return .unavailable(error.description)
        } catch {
            return .unavailable("request failed")
        }
        guard response.status == 200 else {
            return .unavailable("HTTP \(response.status) from \(baseURL.host ?? "Alpha Vantage")")
        }
        let body = withoutKey(response.body)
        if let notice = Self.notice(in: body) { return .notice(notice) }
        return .body(body)
    }

    /// `body` with every occurrence of the key replaced, so an echoed request URL never
    /// carries it into a report, a log or the cache.
    func withoutKey(_ body: Data) -> Data {
        let key = Data(apiKey.utf8)
        guard !key.isEmpty, body.range(of: key) != nil else { return body }
        var cleaned = Data()
        var rest = body[...]
        while let found = rest.range(of: key) {
            cleaned += rest[..<found.lowerBound]
            cleaned += Data("REDACTED".utf8)
            rest = rest[found.upperBound...]
        }
        return cleaned + rest
    }

    /// The notice in a body, checked in Alpha Vantage's order (`Error Message`, then
    /// `Information`, then `Note`); `nil` for data, `{}` and other `Error Message`s.
    static func notice(in body: Data) -> AlphaVantageNotice? {
        guard body.count < 16_384,
              let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        else { return nil }
        if let error = object["Error Message"] as? String {
            let notice = AlphaVantageNotice.classify(error)
            return notice == .invalidKey(error) ? .invalidKey(String(error.prefix(300))) : nil
        }
        guard let text = (object["Information"] ?? object["Note"]) as? String else { return nil }
        return AlphaVantageNotice.classify(String(text.prefix(300)))
    }
}
