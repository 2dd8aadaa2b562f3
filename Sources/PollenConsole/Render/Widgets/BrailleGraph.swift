/// A graph of per-second values in braille dots (two columns and four rows of dots per
/// cell), with the capacity as a dotted line that stays visible through the bars. Cells whose
/// values exceed the capacity are drawn in the warning color.
struct BrailleGraph: Widget {
    var values: [Double]
    var capacity: Double?

    /// The dot bits of a braille cell, by dot row (top first), left column then right.
    private static let dots: [(left: UInt32, right: UInt32)] = [(0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80)]

    func render(in area: Rect, buffer: inout CellBuffer) {
        guard area.width > 0, area.height > 0 else { return }
        let dotRows = area.height * 4
        let samples = ColumnSampler.sample(values, into: area.width * 2)
        let top = ColumnGraph.scaleTop(peak: samples.max() ?? 0, capacity: capacity)
        // Dot rows counted from the bottom, 1-based: the capacity's, and each sample's height.
        let capacityLevel = capacity.map { min(dotRows, max(1, Int(($0 / top * Double(dotRows)).rounded()))) }
        let firstSample = area.width * 2 - samples.count
        for column in 0..<area.width {
            for row in 0..<area.height {
                var bits: UInt32 = 0
                var bar = false, over = false
                for side in 0..<2 {
                    let sample = column * 2 + side - firstSample
                    let value = sample >= 0 ? samples[sample] : 0
                    let level = value > 0 ? max(1, Int((min(value, top) / top * Double(dotRows)).rounded())) : 0
                    over = over || (capacity.map { value > $0 } ?? false) && level > 0
                    for dot in 0..<4 {
                        let fromBottom = (area.height - 1 - row) * 4 + (4 - dot)
                        let bit = side == 0 ? Self.dots[dot].left : Self.dots[dot].right
                        if fromBottom <= level {
                            bits |= bit
                            bar = true
                        } else if fromBottom == capacityLevel {
                            bits |= bit
                        }
                    }
                }
                let role: ThemeRole = over ? .warn : bar ? .graph : .capacityLine
                let character = bits == 0 ? " " : Character(Unicode.Scalar(0x2800 + bits)!)
                buffer.put(character, x: area.x + column, y: area.y + row, style: CellStyle(role))
            }
        }
    }
}
