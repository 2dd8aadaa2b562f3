/// A run of text in one style; a line of mixed styles is an array of spans.
struct Span {
    var text: String
    var style: CellStyle

    init(_ text: String, _ role: ThemeRole = .text, _ attributes: CellAttributes = []) {
        self.text = text
        style = CellStyle(role, attributes)
    }

    /// Display columns the span takes.
    var width: Int { DisplayWidth.of(text) }
}

extension CellBuffer {
    /// Writes `spans` one after another from (`x`, `y`), within `maxWidth` columns (the span
    /// that does not fit ends with the ellipsis). Returns the columns written.
    @discardableResult
    mutating func write(_ spans: [Span], x: Int, y: Int, maxWidth: Int) -> Int {
        var column = 0
        for span in spans where column < maxWidth {
            column += write(span.text, x: x + column, y: y, maxWidth: maxWidth - column, style: span.style)
        }
        return column
    }
}

extension Array where Element == Span {
    var width: Int { reduce(0) { $0 + $1.width } }
}
