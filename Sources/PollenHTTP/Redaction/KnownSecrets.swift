import Foundation
import Synchronization

/// The secrets this process holds (AWS secret keys and session tokens, the Alpha Vantage key),
/// so that none of them is ever written out, whichever text carries it: a server that echoes a
/// request, an error message, a log line, an event or a report.
///
/// Whoever loads a secret adds it; every writer of text from outside passes it through
/// ``redacted(_:)-swift.method`` (the terminal and log sanitiser, DynamoDB's error messages,
/// the event log and the report). Strings shorter than ``minimumLength`` are not taken: no real
/// key is that short, and hiding short common words would garble the output instead.
public enum KnownSecrets {
    /// What a secret is replaced with.
    public static let marker = "REDACTED"
    public static let minimumLength = 12

    private static let secrets = Mutex<[String]>([])

    /// Adds `secret` (and the form JSON gives it, `/` escaped) to what is redacted.
    public static func add(_ secret: String?) {
        guard let secret, secret.count >= minimumLength else { return }
        let forms = Set([secret, secret.replacingOccurrences(of: "/", with: "\\/")])
        secrets.withLock { known in
            for form in forms where !known.contains(form) { known.append(form) }
            known.sort { $0.count > $1.count }  // a longer secret containing a shorter one goes first
        }
    }

    /// `text` with every known secret replaced by ``marker``.
    public static func redacted(_ text: String) -> String {
        let known = secrets.withLock { $0 }
        var result = text
        for secret in known where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: marker)
        }
        return result
    }

    /// `data` (UTF-8 text, a JSON line) with every known secret replaced by ``marker``.
    public static func redacted(_ data: Data) -> Data {
        let known = secrets.withLock { $0 }
        guard known.contains(where: { data.range(of: Data($0.utf8)) != nil }) else { return data }
        return Data(redacted(String(decoding: data, as: UTF8.self)).utf8)
    }
}
