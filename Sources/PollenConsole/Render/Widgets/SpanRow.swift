/// One row of spans in groups, some from the left edge and some against the right edge. Each
/// group is shown whole or not at all: when space is short the groups with the highest
/// priority numbers go first. Headers and footers are made of these.
struct SpanRow: Widget {
    /// A group of spans that is shown whole or not at all.
    struct Group {
        var spans: [Span]
        /// 1 is kept longest; higher numbers are dropped first.
        var priority: Int

        init(_ priority: Int, _ spans: [Span]) {
            self.priority = priority
            self.spans = spans
        }
    }

    var left: [Group]
    var right: [Group] = []
    var gap = 2

    func render(in area: Rect, buffer: inout CellBuffer) {
        guard area.width > 0, area.height > 0 else { return }
        buffer.fill(area.row(0), style: CellStyle(.background))
        let all = left.map { (group: $0, isLeft: true) } + right.map { (group: $0, isLeft: false) }
        var kept = Set<Int>()
        var used = 0
        for index in all.indices.sorted(by: { (all[$0].group.priority, $0) < (all[$1].group.priority, $1) }) {
            let needed = all[index].group.spans.width + (kept.isEmpty ? 0 : gap)
            if used + needed <= area.width {
                kept.insert(index)
                used += needed
            }
        }
        if kept.isEmpty, let first = left.first {  // nothing fits whole: the first group, cut short
            buffer.write(first.spans, x: area.x, y: area.y, maxWidth: area.width)
            return
        }
        var x = area.x
        for index in kept.sorted() where all[index].isLeft {
            x += buffer.write(all[index].group.spans, x: x, y: area.y, maxWidth: area.maxX - x) + gap
        }
        var end = area.maxX
        for index in kept.sorted().reversed() where !all[index].isLeft {
            let width = all[index].group.spans.width
            buffer.write(all[index].group.spans, x: end - width, y: area.y, maxWidth: width)
            end -= width + gap
        }
    }
}
