/// A column graph of per-second values over one or more rows, in eighths of a cell, with a
/// dashed line at the capacity: how close a table's writes come to what it can take. Columns
/// above the capacity are drawn in the warning color.
struct ColumnGraph: Widget {
    var values: [Double]
    /// The capacity to draw as a line, if the table has one.
    var capacity: Double?
    let glyphs: Glyphs

    func render(in area: Rect, buffer: inout CellBuffer) {
        guard area.width > 0, area.height > 0 else { return }
        let columns = ColumnSampler.sample(values, into: area.width)
        let top = Self.scaleTop(peak: columns.max() ?? 0, capacity: capacity)
        let levels = Double(area.height * 8)
        let capacityRow = capacity.map { area.maxY - 1 - min(area.height - 1, Int($0 / top * Double(area.height))) }
        let firstColumn = area.maxX - columns.count
        for x in area.x..<area.maxX {
            let value = x >= firstColumn ? columns[x - firstColumn] : 0
            let height = Int((min(value, top) / top * levels).rounded(.up))
            let over = capacity.map { value > $0 } ?? false
            for row in 0..<area.height {
                let y = area.maxY - 1 - row
                let filled = min(8, max(0, height - row * 8))
                if filled > 0 {
                    buffer.put(glyphs.graphEighths[filled - 1], x: x, y: y, style: CellStyle(over ? .warn : .graph))
                } else if y == capacityRow {
                    buffer.put(glyphs.capacityLine, x: x, y: y, style: CellStyle(.capacityLine))
                }
            }
        }
    }

    /// The value at the top of the graph: with a capacity, always a quarter above it, so the
    /// capacity line sits at four fifths of the height and anything higher is cut off (drawn
    /// in the warning color); without one, the peak.
    static func scaleTop(peak: Double, capacity: Double?) -> Double {
        guard let capacity, capacity > 0 else { return max(peak, 1) }
        return capacity * 1.25
    }
}
