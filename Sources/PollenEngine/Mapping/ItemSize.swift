import PollenDynamoDB

/// DynamoDB's item size rules: the sum over attributes of the name's UTF-8 length and the
/// value's size. Decides the 400 KB limit and the write units an item costs.
public enum ItemSize {
    /// DynamoDB's largest item: 400 KB.
    public static let maxItemBytes = 409_600
    public static let bytesPerWriteUnit = 1_024

    public static func of(_ item: Item) -> Int {
        item.reduce(0) { $0 + $1.key.utf8.count + of($1.value) }
    }

    public static func of(_ value: AttributeValue) -> Int {
        switch value {
        case .s(let text): return text.utf8.count
        case .n(let number): return numberSize(number)
        case .b(let data): return data.count
        case .bool, .null: return 1
        case .m(let map): return 3 + map.reduce(0) { $0 + $1.key.utf8.count + of($1.value) + 1 }
        case .l(let list): return 3 + list.reduce(0) { $0 + of($1) + 1 }
        case .ss(let texts): return texts.reduce(0) { $0 + $1.utf8.count }
        case .ns(let numbers): return numbers.reduce(0) { $0 + numberSize($1) }
        case .bs(let blobs): return blobs.reduce(0) { $0 + $1.count }
        }
    }

    /// Write units for an item of `bytes`: one per started kilobyte, at least one.
    public static func writeUnits(bytes: Int) -> Int {
        max(1, (bytes + bytesPerWriteUnit - 1) / bytesPerWriteUnit)
    }

    /// About one byte per two significant digits, plus one, plus one more for a negative number.
    static func numberSize(_ text: String) -> Int {
        let negative = text.utf8.first == UInt8(ascii: "-")
        var digits = 0
        var leading = true
        var trailingZeros = 0
        for character in text.utf8 {
            if character == UInt8(ascii: "e") || character == UInt8(ascii: "E") { break }
            guard character >= UInt8(ascii: "0") && character <= UInt8(ascii: "9") else { continue }
            if leading && character == UInt8(ascii: "0") { continue }
            leading = false
            digits += 1
            trailingZeros = character == UInt8(ascii: "0") ? trailingZeros + 1 : 0
        }
        let significant = max(1, digits - trailingZeros)
        return (significant + 1) / 2 + 1 + (negative && digits > 0 ? 1 : 0)  // -0 is zero, not negative
    }
}
