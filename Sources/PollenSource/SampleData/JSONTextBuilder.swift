/// Writes JSON text byte by byte in a fixed member order, for sample payloads.
///
/// `JSONSerialization` would neither keep Alpha Vantage's field order nor be fast enough for
/// thousands of assets. The layout is compact with one report per line, so that files stay
/// small and still read well in a diff.
struct JSONTextBuilder {
    private(set) var bytes: [UInt8] = []
    /// Whether the container being written has no member yet (no comma needed).
    private var atFirstMember = true

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    /// Opens an object: the document itself, an array element, or the member `name`.
    mutating func openObject(named name: String? = nil, onNewLine: Bool = false) {
        startMember(name, onNewLine: onNewLine)
        bytes.append(UInt8(ascii: "{"))
        atFirstMember = true
    }

    mutating func closeObject(onNewLine: Bool = false) {
        if onNewLine { bytes.append(UInt8(ascii: "\n")) }
        bytes.append(UInt8(ascii: "}"))
        atFirstMember = false
    }

    mutating func openArray(named name: String) {
        startMember(name, onNewLine: false)
        bytes.append(UInt8(ascii: "["))
        atFirstMember = true
    }

    mutating func closeArray() {
        bytes.append(UInt8(ascii: "]"))
        atFirstMember = false
    }

    /// The member `"name": "value"`.
    mutating func member(_ name: String, _ value: String, onNewLine: Bool = false) {
        startMember(name, onNewLine: onNewLine)
        appendQuoted(value)
        atFirstMember = false
    }

    /// Ends the document with a newline.
    mutating func finish() {
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func startMember(_ name: String?, onNewLine: Bool) {
        if !atFirstMember { bytes.append(UInt8(ascii: ",")) }
        if onNewLine { bytes.append(UInt8(ascii: "\n")) }
        if let name {
            appendQuoted(name)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        defer { bytes.append(UInt8(ascii: "\"")) }
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case ..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xF)])
            default:
                bytes.append(byte)
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
