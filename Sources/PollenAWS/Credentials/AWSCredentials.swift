import PollenHTTP
/// An AWS access key pair, optionally with a session token, as used to sign requests.
///
/// Every textual form of this value hides the secret and the token, so that logging or
/// printing it by mistake cannot leak them.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public let accessKeyID: String
    public let secretAccessKey: String
    public let sessionToken: String?
    /// Where these credentials came from (`environment`, `profile default in ~/.aws/credentials`).
    public let source: String

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, source: String = "explicit") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        // Loaded credentials are never written out, whatever text might echo them.
        KnownSecrets.add(secretAccessKey)
        KnownSecrets.add(sessionToken)
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
        self.source = source
    }

    public var description: String {
        "AWSCredentials(accessKeyID: \(accessKeyID), secret: <redacted>, sessionToken: \(sessionToken == nil ? "none" : "<redacted>"), source: \(source))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "source": source], displayStyle: .struct)
    }
}
