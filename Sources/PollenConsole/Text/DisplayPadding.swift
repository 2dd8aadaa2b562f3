extension String {
    /// The string with spaces before it up to `width` display columns (right-aligned).
    func leftPadded(to width: Int) -> String {
        let missing = width - DisplayWidth.of(self)
        return missing > 0 ? String(repeating: " ", count: missing) + self : self
    }

    /// The string with spaces after it up to `width` display columns (left-aligned).
    func padding(toDisplayWidth width: Int) -> String {
        let missing = width - DisplayWidth.of(self)
        return missing > 0 ? self + String(repeating: " ", count: missing) : self
    }

    /// The string broken into lines of at most `width` display columns, at spaces where it can.
    func wrapped(toDisplayWidth width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        for word in split(separator: " ", omittingEmptySubsequences: false) {
            let wordWidth = DisplayWidth.of(word)
            if lineWidth > 0 && lineWidth + 1 + wordWidth > width {
                lines.append(line)
                line = ""
                lineWidth = 0
            }
            if lineWidth > 0 {
                line += " "
                lineWidth += 1
            }
            var rest = Substring(word)
            while lineWidth + DisplayWidth.of(rest) > width {  // a word longer than a line: cut it
                var piece = ""
                var pieceWidth = 0
                while let next = rest.first, lineWidth + pieceWidth + DisplayWidth.of(next) <= width {
                    piece.append(next)
                    pieceWidth += DisplayWidth.of(next)
                    rest = rest.dropFirst()
                }
                if piece.isEmpty && lineWidth == 0 { piece.append(rest.removeFirst()) }
                lines.append(line + piece)
                line = ""
                lineWidth = 0
            }
            line += rest
            lineWidth += DisplayWidth.of(rest)
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
