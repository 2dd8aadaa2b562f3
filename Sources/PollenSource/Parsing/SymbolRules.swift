/// The ticker symbols Pollen accepts (CONTRACT section 1): `^[A-Z0-9][A-Z0-9.\-]{0,11}$`.
///
/// A symbol becomes a partition key and a folder name, so anything else is refused before
/// any file is read or any item is written.
public enum SymbolRules {
    /// The accepted form, for messages.
    public static let pattern = #"^[A-Z0-9][A-Z0-9.\-]{0,11}$"#
    public static let maxLength = 12

    /// Whether `symbol` matches `pattern`.
    public static func isValid(_ symbol: String) -> Bool {
        let bytes = symbol.utf8
        guard let first = bytes.first, bytes.count <= maxLength, isLetterOrDigit(first) else { return false }
        return bytes.dropFirst().allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
