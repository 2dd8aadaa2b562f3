import PollenEngine

/// One row per table: progress, counts, throughput, write units against capacity and the rate
/// Pollen allows itself, retries, throttling and status. Columns drop by importance on narrow
/// terminals; the selected row is the one Enter, `r` and the capacity graph act on.
struct TablesPanel: Widget {
    let state: ConsoleState
    let glyphs: Glyphs
    let focused: Bool

    /// Rows the panel needs for `tableCount` tables (frame, titles, rows).
    static func height(tableCount: Int) -> Int { max(tableCount, 1) + 3 }

    private enum Field {
        case table, progress, written, failed, rejected, itemRate, unitRate, allowed, capacity
        case retries, throttled, unprocessed, throttledPercent, status, trend
    }

    private static let columns: [ColumnLayout<Field>.Column] = [
        .init(id: .table, title: "TABLE", width: 15, alignment: .left),
        .init(id: .progress, title: "PROGRESS", width: 10, alignment: .left, priority: 2, grows: true),
        .init(id: .written, title: "WRITTEN", width: 11),
        .init(id: .failed, title: "FAIL", width: 4),
        .init(id: .rejected, title: "REJ", width: 4, priority: 4),
        .init(id: .itemRate, title: "ITEMS/S", width: 7, priority: 3),
        .init(id: .unitRate, title: "WCU/S", width: 6),
        .init(id: .allowed, title: "ALLOWED", width: 7, priority: 3),
        .init(id: .capacity, title: "CAPACITY", width: 9),
        .init(id: .retries, title: "RETRY", width: 5, priority: 4),
        .init(id: .throttled, title: "THROT", width: 5, priority: 4),
        .init(id: .unprocessed, title: "UNPROC", width: 6, priority: 5),
        .init(id: .throttledPercent, title: "THR%", width: 4, priority: 3),
        .init(id: .status, title: "STATUS", width: 9, alignment: .left),
        .init(id: .trend, title: "WCU LAST 2M", width: 14, alignment: .left, priority: 6),
    ]

    func render(in area: Rect, buffer: inout CellBuffer) {
        let detail = state.run.info.map { "prefix \($0.tablePrefix.isEmpty ? "(none)" : $0.tablePrefix)" }
        let inner = Block(title: "Tables", detail: detail, focused: focused, glyphs: glyphs).render(in: area, buffer: &buffer)
        guard inner.height > 0 else { return }
        let layout = ColumnLayout(Self.columns, x: inner.x + 1, width: inner.width - 2)
        layout.renderTitles(y: inner.y, buffer: &buffer)
        guard !state.tables.isEmpty else {
            buffer.write("no tables yet", x: inner.x + 1, y: inner.y + 1, maxWidth: inner.width - 2, style: CellStyle(.muted))
            return
        }
        for (index, row) in state.tables.enumerated() where index + 1 < inner.height {
            let y = inner.y + 1 + index
            let selected = index == state.ui.selectedTable
            if selected && focused { buffer.fill(inner.row(index + 1), style: CellStyle(.selection)) }
            for column in layout.placed {
                draw(column, of: row, y: y, buffer: &buffer)
            }
            if selected && focused { buffer.restyle(inner.row(index + 1), style: CellStyle(.selection)) }
            if selected && !focused {
                buffer.restyle(Rect(x: layout.placed[0].x, y: y, width: layout.placed[0].width, height: 1),
                               style: CellStyle(.accent, .bold))
            }
        }
    }

    private func draw(_ column: ColumnLayout<Field>.Placed, of row: TableRow, y: Int, buffer: inout CellBuffer) {
        let progress = row.progress
        func cell(_ text: String, _ role: ThemeRole = .text, _ attributes: CellAttributes = []) {
            ColumnLayout.write(text, in: column, y: y, style: CellStyle(role, attributes), buffer: &buffer)
        }
        func count(_ value: Int?, alarm: ThemeRole) {
            guard let value else { return cell("-", .muted) }
            cell(NumberText.compact(value), value > 0 ? alarm : .muted)
        }
        switch column.column.id {
        case .table:
            cell(row.table.rawValue, .text, .bold)
        case .progress:
            ProgressBar(fraction: row.fractionWritten, label: NumberText.percent(row.fractionWritten * 100), glyphs: glyphs)
                .render(in: Rect(x: column.x, y: y, width: column.width, height: 1), buffer: &buffer)
        case .written:
            guard let progress else { return cell("-", .muted) }
            let full = NumberText.count(progress.written) + "/" + NumberText.count(progress.itemsKnown)
            cell(DisplayWidth.of(full) <= column.width
                 ? full : NumberText.compact(progress.written) + "/" + NumberText.compact(progress.itemsKnown))
        case .failed: count(progress?.failed, alarm: .error)
        case .rejected: count(progress?.rejected, alarm: .warn)
        case .itemRate: cell(progress.map { NumberText.rate($0.itemsPerSecond) } ?? "-")
        case .unitRate:
            guard let progress else { return cell("-", .muted) }
            let over = row.info.capacity.announcedWCU.map { progress.unitsPerSecond > Double($0) } ?? false
            cell(NumberText.rate(progress.unitsPerSecond), over ? .warn : .text, .bold)
        case .allowed:
            cell(row.allowedUnitsPerSecond.map(NumberText.rate) ?? glyphs.infinity, .accent)
        case .capacity:
            if row.info.unavailable != nil { return cell("missing", .error) }
            if let wcu = row.info.capacity.provisionedWCU { return cell("\(wcu) WCU") }
            if let maximum = row.info.capacity.maxOnDemandWCU { return cell("max \(maximum)") }
            if let learned = row.estimatedLimit { return cell(glyphs.approximately + NumberText.rate(learned), .accent) }
            cell("on-demand", .muted)
        case .retries: count(progress?.retries, alarm: .warn)
        case .throttled: count(progress?.throttledRequests, alarm: .warn)
        case .unprocessed: count(progress?.unprocessedItems, alarm: .warn)
        case .throttledPercent:
            guard let percent = progress?.throttledPercent else { return cell("-", .muted) }
            cell(NumberText.percent(percent), percent > 20 ? .error : percent >= 1 ? .warn : .muted)
        case .status:
            let status = row.status(runFinished: state.run.isFinished)
            cell(status.label, status.role, [.bold])
        case .trend:
            Sparkline(values: progress?.unitsHistory ?? [], ceiling: row.knownCapacity ?? 0, glyphs: glyphs)
                .render(in: Rect(x: column.x, y: y, width: column.width, height: 1), buffer: &buffer)
        }
    }
}
