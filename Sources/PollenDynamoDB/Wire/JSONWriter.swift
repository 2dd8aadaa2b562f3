import Foundation

/// Writes JSON text straight into a byte buffer.
///
/// Requests are written with this rather than `JSONEncoder`: a `BatchWriteItem` body is the
/// hot path of a backfill, and writing it directly costs a fraction of a generic encoder while
/// keeping number strings exactly as given.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsSeparator = false

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    mutating func object(_ body: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsSeparator = false
        try body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsSeparator = true
    }

    mutating func array(_ body: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsSeparator = false
        try body(&self)
        bytes.append(UInt8(ascii: "]"))
        needsSeparator = true
    }

    /// Writes `"key":` and then the value that `body` writes.
    mutating func member(_ key: String, _ body: (inout JSONWriter) throws -> Void) rethrows {
        separate()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        needsSeparator = false
        try body(&self)
        needsSeparator = true
    }

    mutating func member(_ key: String, string value: String) {
        member(key) { $0.string(value) }
    }

    mutating func member(_ key: String, string value: String?) {
        if let value { member(key, string: value) }
    }

    mutating func member(_ key: String, bool value: Bool?) {
        if let value { member(key) { $0.bool(value) } }
    }

    mutating func member(_ key: String, int value: Int?) {
        if let value { member(key) { $0.raw(String(value)) } }
    }

    mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsSeparator = true
    }

    mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    /// Writes `text` as it is (a number or literal).
    mutating func raw(_ text: String) {
        separate()
        bytes.append(contentsOf: text.utf8)
        needsSeparator = true
    }

    private mutating func separate() {
        if needsSeparator { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]])
        }
    }
}
