import Foundation
import PollenAWS
import PollenHTTP

/// Publishes metrics to Amazon CloudWatch with `PutMetricData` (AWS query protocol), signed
/// with SigV4 for the `monitoring` service over the same transport as DynamoDB.
public final class CloudWatchClient: Sendable {
    /// Data points per request: well under CloudWatch's limit of 1,000 and its 1 MB body.
    public static let maxDataPerRequest = 150

    public let settings: AWSSettings
    private let transport: any HTTPTransport
    private let signer: SigV4Signer
    private let now: @Sendable () -> Date

    public init(settings: AWSSettings, transport: any HTTPTransport, now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.transport = transport
        self.signer = SigV4Signer(credentials: settings.credentials, region: settings.region,
                                  service: AWSService.cloudWatch.signingName)
        self.now = now
    }

    /// Sends `data` under `namespace`, in as many requests as needed.
    public func putMetricData(namespace: String, data: [MetricDatum]) async throws {
        var start = 0
        while start < data.count {
            let chunk = Array(data[start..<min(start + Self.maxDataPerRequest, data.count)])
            try await send(QueryEncoding.putMetricData(namespace: namespace, data: chunk))
            start += chunk.count
        }
    }

    private func send(_ body: String) async throws {
        var request = HTTPRequest(method: "POST", url: settings.endpoint, body: Data(body.utf8))
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
        signer.sign(&request, date: now())
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as HTTPTransportError {
            throw CloudWatchError(code: "Transport", message: error.description, httpStatus: nil)
        }
        guard (200..<300).contains(response.status) else {
            let text = String(decoding: response.body, as: UTF8.self)
            throw CloudWatchError(code: Self.element("Code", in: text) ?? "HTTP\(response.status)",
                                  message: Self.element("Message", in: text) ?? "", httpStatus: response.status)
        }
    }

    /// The text of the first `<name>` element of an XML error body.
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
    }
}

/// Why CloudWatch did not take the data.
public struct CloudWatchError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var httpStatus: Int?

    public var description: String {
        message.isEmpty ? "CloudWatch PutMetricData failed: \(code)" : "CloudWatch PutMetricData failed: \(code): \(message)"
    }
}
