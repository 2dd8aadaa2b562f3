/// Each table's consumed write units per second over the last minutes: with room, a graph with
/// its capacity as a dotted (or dashed) line; otherwise a sparkline where a full block is the
/// capacity. Anything above the capacity shows in the warning color; on-demand tables are
/// scaled to their own peak.
struct CapacityGraphPanel: Widget {
    let state: ConsoleState
    let glyphs: Glyphs

    static let labelWidth = 15
    static let valueWidth = 9

    /// Columns of the graph in a table's band, between its name and its current value.
    static func graphWidth(bandWidth: Int) -> Int { bandWidth - labelWidth - valueWidth - 2 }

    /// Rows the panel needs to give each of `tableCount` tables `rowsPerTable` rows.
    static func height(tableCount: Int, rowsPerTable: Int) -> Int { max(1, tableCount) * rowsPerTable + 2 }

    func render(in area: Rect, buffer: inout CellBuffer) {
        let rowsPerTable = max(1, (area.height - 2) / max(1, state.tables.count))
        let samples = Self.graphWidth(bandWidth: area.width - 4) * (rowsPerTable > 1 && glyphs.braille ? 2 : 1)
        let history = state.tables.first?.progress?.unitsHistory.count ?? 0
        let span = history > 0
            ? " \(glyphs.separator) last " + DurationText.short(Double(ColumnSampler.span(count: history, columns: samples)))
            : ""
        let legend = rowsPerTable > 1 ? "dotted line = capacity" : "full = capacity"
        let inner = Block(title: "Write units/s" + span, detail: legend, glyphs: glyphs).render(in: area, buffer: &buffer)
        guard inner.height > 0, inner.width > Self.labelWidth + Self.valueWidth + 4 else { return }
        guard !state.tables.isEmpty else {
            buffer.write("no table yet", x: inner.x + 1, y: inner.y, maxWidth: inner.width - 2, style: CellStyle(.muted))
            return
        }
        for (index, row) in state.tables.enumerated() where (index + 1) * rowsPerTable <= inner.height {
            let band = Rect(x: inner.x + 1, y: inner.y + index * rowsPerTable, width: inner.width - 2, height: rowsPerTable)
            drawTable(row, selected: index == state.ui.selectedTable, in: band, buffer: &buffer)
        }
    }

    private func drawTable(_ row: TableRow, selected: Bool, in band: Rect, buffer: inout CellBuffer) {
        let capacity = row.info.provisionedWCU.map(Double.init)
        let history = row.progress?.unitsHistory ?? []
        buffer.write(row.table.rawValue, x: band.x, y: band.y, maxWidth: Self.labelWidth,
                     style: CellStyle(selected ? .accent : .text, .bold))
        if band.height > 1 {
            let note = row.info.provisionedWCU.map { "cap \($0) WCU" } ?? "on-demand"
            buffer.write(note, x: band.x, y: band.y + 1, maxWidth: Self.labelWidth,
                         style: CellStyle(capacity == nil ? .muted : .capacityLine))
        }
        let current = row.progress?.unitsPerSecond ?? 0
        let value = NumberText.rate(current) + (row.info.provisionedWCU.map { "/\($0)" } ?? "")
        let over = capacity.map { current > $0 * 0.9 } ?? false
        buffer.write(value.leftPadded(to: Self.valueWidth), x: band.maxX - Self.valueWidth, y: band.y,
                     maxWidth: Self.valueWidth, style: CellStyle(over ? .warn : .text, .bold))
        let graph = Rect(x: band.x + Self.labelWidth + 1, y: band.y, width: Self.graphWidth(bandWidth: band.width),
                         height: band.height)
        if band.height > 1 && glyphs.braille {
            BrailleGraph(values: history, capacity: capacity).render(in: graph, buffer: &buffer)
        } else if band.height > 1 {
            ColumnGraph(values: history, capacity: capacity, glyphs: glyphs).render(in: graph, buffer: &buffer)
        } else {
            Sparkline(values: history, ceiling: capacity ?? 0, glyphs: glyphs).render(in: graph, buffer: &buffer)
        }
    }
}
