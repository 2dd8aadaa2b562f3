/// The rules DynamoDB applies to numbers: decimal text, at most 38 significant digits, and a
/// magnitude between 1E-130 and 9.99...E+125 (or zero); and the one spelling Pollen sends.
///
/// DynamoDB keeps a number's value, not its text (`+5`, `05` and `5.0` are all `5`), and parsers
/// differ on the spellings at the edges (`+5`, `1.`, long runs of leading zeros): Pollen sends
/// each number in its canonical form, so that nothing depends on which spellings a parser takes.
public enum DynamoDBNumber {
    public static let maxSignificantDigits = 38

    /// Whether DynamoDB accepts `text` as an `N` value.
    public static func isValid(_ text: String) -> Bool { canonical(text) != nil }

    /// `text` as a number in canonical form: no `+`, no leading zeros, no trailing zeros after
    /// the point, no lone point, `0` for any zero, and an exponent (`E`, with a sign only when
    /// negative) only when it is not zero; `nil` when DynamoDB would not take it as a number.
    public static func canonical(_ text: String) -> String? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        while let byte = bytes.first, isDigit(byte) { integerDigits.append(byte); bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            while let byte = bytes.first, isDigit(byte) { fractionDigits.append(byte); bytes = bytes.dropFirst() }
        }
        if integerDigits.isEmpty && fractionDigits.isEmpty { return nil }
        var exponent = 0
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var sign = 1
            if bytes.first == UInt8(ascii: "-") { sign = -1; bytes = bytes.dropFirst() }
            else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard let first = bytes.first, isDigit(first) else { return nil }
            var value = 0
            while let byte = bytes.first, isDigit(byte) {
                value = min(value * 10 + Int(byte - UInt8(ascii: "0")), 100_000)
                bytes = bytes.dropFirst()
            }
            exponent = sign * value
        }
        guard bytes.isEmpty else { return nil }

        // Significant digits: all digits without leading and trailing zeros.
        let digits = integerDigits + fractionDigits
        guard let firstNonZero = digits.firstIndex(where: { $0 != UInt8(ascii: "0") }) else { return "0" }
        let lastNonZero = digits.lastIndex(where: { $0 != UInt8(ascii: "0") })!
        guard lastNonZero - firstNonZero + 1 <= maxSignificantDigits else { return nil }
        // Decimal exponent of the leading significant digit: value = d.ddd × 10^magnitude.
        let magnitude = integerDigits.count - 1 - firstNonZero + exponent
        guard magnitude >= -130 && magnitude <= 125 else { return nil }

        let integer = integerDigits.drop { $0 == UInt8(ascii: "0") }
        var fraction = fractionDigits[...]
        while fraction.last == UInt8(ascii: "0") { fraction = fraction.dropLast() }
        var result = negative ? "-" : ""
        result += integer.isEmpty ? "0" : String(decoding: integer, as: UTF8.self)
        if !fraction.isEmpty { result += "." + String(decoding: fraction, as: UTF8.self) }
        if exponent != 0 { result += "E\(exponent)" }
        return result
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
