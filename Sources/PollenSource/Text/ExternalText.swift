import PollenHTTP

/// The one sanitiser for text that came from outside (folder and file names, payload text,
/// server and API messages) on its way to a terminal: control characters, which could move
/// the cursor, clear the screen or set the window title (`\e]0;...\a`), and the bidirectional
/// overrides that reorder what a reader sees, are written as visible escapes (`\x1B`,
/// `\u{202E}`). Line breaks and tabs are kept unless `singleLine`. Known secrets (the API
/// key, AWS secrets: see `KnownSecrets`) are redacted wherever they appear.
public enum ExternalText {
    public static func escaped(_ text: String, singleLine: Bool = false) -> String {
        let text = KnownSecrets.redacted(text)
        guard text.unicodeScalars.contains(where: { needsEscape($0, singleLine: singleLine) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if !needsEscape(scalar, singleLine: singleLine) {
                result.unicodeScalars.append(scalar)
            } else if scalar.value < 0x100 {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\x" + (hex.count < 2 ? "0" : "") + hex
            } else {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, singleLine: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return singleLine
        case 0x00..<0x20, 0x7F..<0xA0: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
