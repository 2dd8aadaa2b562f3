import Crypto
import Foundation

/// The SigV4 canonical request: the one text form of a request that both sides hash.
struct CanonicalRequest {
    let text: String
    let signedHeaders: String

    init(_ input: SigningInput, unsignedHeaders: Set<String>) {
        var grouped: [String: [String]] = [:]
        for field in input.headers {
            let name = field.name.lowercased()
            if unsignedHeaders.contains(name) { continue }
            grouped[name, default: []].append(Self.canonicalValue(field.value))
        }
        let names = grouped.keys.sorted()
        let headerLines = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        signedHeaders = names.joined(separator: ";")
        let payloadHash = SHA256.hash(data: input.payload).hexString
        text = [
            input.method.uppercased(),
            Self.canonicalPath(input.path),
            Self.canonicalQuery(input.query),
            headerLines,
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")
    }

    /// Trims the value and folds every run of whitespace (line breaks included) into one space.
    static func canonicalValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            .joined(separator: " ")
    }

    /// Removes `.`/`..` segments and repeated slashes (every service but S3), then encodes
    /// each segment once.
    static func canonicalPath(_ path: String) -> String {
        let decoded = URIEncoding.decode(path)
        var segments: [Substring] = []
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        if segments.isEmpty { return "/" }
        let trailing = decoded.hasSuffix("/") ? "/" : ""
        return "/" + segments.map { URIEncoding.encode(String($0)) }.joined(separator: "/") + trailing
    }

    /// Encodes each name and value, then sorts by name and value.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: true).map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = URIEncoding.encode(URIEncoding.decode(String(parts[0])))
            let value = parts.count > 1 ? URIEncoding.encode(URIEncoding.decode(String(parts[1]))) : ""
            return (name, value)
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }
}

/// RFC 3986 percent-encoding as SigV4 defines it: everything but `A-Z a-z 0-9 - _ . ~` is
/// encoded, with upper-case hex digits.
enum URIEncoding {
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }

    /// Decodes `%XX` escapes; a malformed escape is kept as it is.
    static func decode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }
}
