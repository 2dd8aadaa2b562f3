import Crypto
import Foundation
import PollenHTTP
import Synchronization

/// Signs requests with AWS Signature Version 4 (header form).
///
/// Pollen signs with its own small implementation on swift-crypto rather than libcurl's
/// `CURLOPT_AWS_SIGV4`, which mishandles a caller-supplied `X-Amz-Date` and empty header
/// values. It is checked against AWS's public test vectors and against botocore.
public struct SigV4Signer: Sendable {
    public let credentials: AWSCredentials
    public let region: String
    public let service: String
    private let keyCache = SigningKeyCache()

    /// Headers never signed, as in botocore: proxies and clients may change them in flight.
    static let unsignedHeaders: Set<String> = ["authorization", "user-agent", "expect", "x-amzn-trace-id"]

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Adds `Host`, `X-Amz-Date`, `X-Amz-Security-Token` (with a session token) and
    /// `Authorization` to `request`, signing every other header it carries.
    public func sign(_ request: inout HTTPRequest, date: Date) {
        let timestamp = SigV4Timestamp(date)
        if request.headers["host"] == nil, let host = request.url.host {
            let port = request.url.port.map { ":\($0)" } ?? ""
            request.headers.add(name: "Host", value: host + port)
        }
        request.headers.replaceOrAdd(name: "X-Amz-Date", value: timestamp.dateTime)
        if let token = credentials.sessionToken {
            request.headers.replaceOrAdd(name: "X-Amz-Security-Token", value: token)
        }
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let input = SigningInput(method: request.method, path: components?.percentEncodedPath ?? "/",
                                 query: components?.percentEncodedQuery ?? "",
                                 headers: Array(request.headers), payload: request.body)
        request.headers.replaceOrAdd(name: "Authorization", value: authorization(for: input, timestamp: timestamp))
    }

    /// The `Authorization` header value for `input` at `timestamp`.
    func authorization(for input: SigningInput, timestamp: SigV4Timestamp) -> String {
        let canonical = CanonicalRequest(input, unsignedHeaders: Self.unsignedHeaders)
        let scope = "\(timestamp.date)/\(region)/\(service)/aws4_request"
        let toSign = stringToSign(canonicalRequest: canonical.text, timestamp: timestamp, scope: scope)
        let key = keyCache.key(date: timestamp.date) {
            deriveSigningKey(date: timestamp.date)
        }
        let signature = HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key).hexString
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
    }

    func stringToSign(canonicalRequest: String, timestamp: SigV4Timestamp, scope: String) -> String {
        let hash = SHA256.hash(data: Data(canonicalRequest.utf8)).hexString
        return "AWS4-HMAC-SHA256\n\(timestamp.dateTime)\n\(scope)\n\(hash)"
    }

    private func deriveSigningKey(date: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }
}

/// The signing key depends only on the day, so it is derived once a day, not per request.
private final class SigningKeyCache: Sendable {
    private let entry = Mutex<(date: String, key: Data)?>(nil)

    func key(date: String, derive: () -> SymmetricKey) -> SymmetricKey {
        if let cached = entry.withLock({ $0 }), cached.date == date { return SymmetricKey(data: cached.key) }
        let key = derive()
        let bytes = key.withUnsafeBytes { Data($0) }
        entry.withLock { $0 = (date, bytes) }
        return key
    }
}

extension Sequence where Element == UInt8 {
    var hexString: String {
        var text = ""
        for byte in self {
            text += String(byte >> 4, radix: 16) + String(byte & 0x0f, radix: 16)
        }
        return text
    }
}

extension Digest {
    var hexString: String { Array(self).hexString }
}

extension HashedAuthenticationCode {
    var hexString: String { Array(self).hexString }
}
