/// The bottom row: the filter being typed, else the answer to the last key, else the main keys
/// (generated from the key map, like the help).
struct FooterBar: Widget {
    let state: ConsoleState
    let keyMap: KeyMap
    let glyphs: Glyphs

    func render(in area: Rect, buffer: inout CellBuffer) {
        let right = [SpanRow.Group(99, [Span("theme \(state.ui.themeName) ", .muted)])]
        if let draft = state.ui.filterDraft {
            let cursor = glyphs.barEighths.first.map(String.init) ?? "_"
            SpanRow(left: [.init(1, [Span(" filter ", .accent, [.bold, .reverse]), Span(" /", .accent, .bold),
                                     Span(draft, .text, .bold), Span(cursor, .accent)]),
                           .init(2, [Span("Enter apply \(glyphs.separator) Esc clear", .muted)])],
                    right: right).render(in: area, buffer: &buffer)
        } else if let hint = state.ui.hint {
            SpanRow(left: [.init(1, [Span(" \(hint.text)", hint.isWarning ? .warn : .accent, .bold)])], right: right)
                .render(in: area, buffer: &buffer)
        } else {
            SpanRow(left: Self.keyHints(keyMap, state: state), right: right, gap: 1).render(in: area, buffer: &buffer)
        }
    }

    /// "? help  Tab panel  +/- cap ...": the bindings with a footer word whose action makes
    /// sense now, neighbours with the same word merged, in key map order; the first and the
    /// last (help and quit) are kept longest, then the earlier ones.
    static func keyHints(_ keyMap: KeyMap, state: ConsoleState) -> [SpanRow.Group] {
        var hints: [(keys: [String], word: String)] = []
        for binding in keyMap.bindings where state.allows(binding.action) {
            guard let word = binding.footer, let key = binding.keys.first else { continue }
            if hints.last?.word == word {
                hints[hints.count - 1].keys.append(key.label)
            } else {
                hints.append(([key.label], word))
            }
        }
        return hints.enumerated().map { index, hint in
            SpanRow.Group(index == hints.count - 1 ? 1 : index + 1,
                          [Span(" " + hint.keys.joined(separator: "/"), .accent, .bold), Span(" " + hint.word, .muted)])
        }
    }
}
