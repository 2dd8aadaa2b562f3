/// A one-row graph of recent values, scaled so that `ceiling` fills a cell; values above it
/// are drawn full in the warning color.
struct Sparkline: Widget {
    var values: [Double]
    var ceiling: Double
    let glyphs: Glyphs

    func render(in area: Rect, buffer: inout CellBuffer) {
        guard area.width > 0, area.height > 0 else { return }
        let columns = ColumnSampler.sample(values, into: area.width)
        let top = ceiling > 0 ? ceiling : (columns.max() ?? 0)
        for (offset, value) in columns.enumerated() {
            let x = area.maxX - columns.count + offset
            guard value > 0, top > 0 else {
                buffer.put(" ", x: x, y: area.y, style: CellStyle(.graph))
                continue
            }
            let level = min(8, max(1, Int((value / top * 8).rounded(.up))))
            buffer.put(glyphs.graphEighths[level - 1], x: x, y: area.y, style: CellStyle(value > top ? .warn : .graph))
        }
    }
}
