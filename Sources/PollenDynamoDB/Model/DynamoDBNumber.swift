/// The rules DynamoDB applies to numbers: decimal text, at most 38 significant digits, and a
/// magnitude between 1E-130 and 9.99...E+125 (or zero).
public enum DynamoDBNumber {
    public static let maxSignificantDigits = 38

    /// Whether DynamoDB accepts `text` as an `N` value.
    public static func isValid(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        while let byte = bytes.first, isDigit(byte) { integerDigits.append(byte); bytes = bytes.dropFirst() }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            while let byte = bytes.first, isDigit(byte) { fractionDigits.append(byte); bytes = bytes.dropFirst() }
        }
        if integerDigits.isEmpty && fractionDigits.isEmpty { return false }
        var exponent = 0
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var sign = 1
            if bytes.first == UInt8(ascii: "-") { sign = -1; bytes = bytes.dropFirst() }
            else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard let first = bytes.first, isDigit(first) else { return false }
            var value = 0
            while let byte = bytes.first, isDigit(byte) {
                value = min(value * 10 + Int(byte - UInt8(ascii: "0")), 100_000)
                bytes = bytes.dropFirst()
            }
            exponent = sign * value
        }
        guard bytes.isEmpty else { return false }

        // Significant digits: all digits without leading and trailing zeros.
        let digits = integerDigits + fractionDigits
        guard let firstNonZero = digits.firstIndex(where: { $0 != UInt8(ascii: "0") }) else { return true }  // zero
        let lastNonZero = digits.lastIndex(where: { $0 != UInt8(ascii: "0") })!
        let significant = lastNonZero - firstNonZero + 1
        guard significant <= maxSignificantDigits else { return false }
        // Decimal exponent of the leading significant digit: value = d.ddd × 10^magnitude.
        let magnitude = integerDigits.count - 1 - firstNonZero + exponent
        return magnitude >= -130 && magnitude <= 125
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
