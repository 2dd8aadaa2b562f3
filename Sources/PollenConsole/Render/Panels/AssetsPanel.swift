/// Every asset with its phase (queued, writing, COMPLETE, PARTIAL, FAILED) and the
/// `lastPollenationDate` read back from its row. Unfocused it follows the newest assets;
/// focused it follows the selection.
struct AssetsPanel: Widget {
    let state: ConsoleState
    let glyphs: Glyphs
    let focused: Bool

    private enum Field { case symbol, phase, date, tables }

    func render(in area: Rect, buffer: inout CellBuffer) {
        let assets = state.assets
        let done = assets.count(.complete)
        let detail = "\(done)/\(state.run.info?.assets ?? assets.count) complete"
        let inner = Block(title: "Assets", detail: detail, focused: focused, glyphs: glyphs).render(in: area, buffer: &buffer)
        guard inner.height > 0 else { return }
        let layout = ColumnLayout<Field>([
            .init(id: .symbol, title: "SYMBOL", width: 7, alignment: .left),
            .init(id: .phase, title: "STATUS", width: 8, alignment: .left),
            .init(id: .date, title: "POLLENATED", width: 12, alignment: .left),
            .init(id: .tables, title: "FAILED TABLES", width: 14, alignment: .left, priority: 2, grows: true),
        ], x: inner.x + 1, width: inner.width - 2)
        layout.renderTitles(y: inner.y, buffer: &buffer)
        let rows = inner.height - 1
        guard assets.count > 0 else {
            let text = state.run.info == nil ? "no assets yet" : "no asset started yet"
            buffer.write(text, x: inner.x + 1, y: inner.y + 1, maxWidth: inner.width - 2, style: CellStyle(.muted))
            return
        }
        let selected = state.ui.selectedAsset
        let first = focused
            ? min(max(0, selected - rows / 2), max(0, assets.count - rows))
            : max(0, assets.count - rows)
        for (offset, asset) in assets.rows[first..<min(assets.count, first + rows)].enumerated() {
            let y = inner.y + 1 + offset
            for column in layout.placed {
                func cell(_ text: String, _ role: ThemeRole, _ attributes: CellAttributes = []) {
                    ColumnLayout.write(text, in: column, y: y, style: CellStyle(role, attributes), buffer: &buffer)
                }
                switch column.column.id {
                case .symbol: cell(asset.symbol, .text, .bold)
                case .phase: cell(asset.phase.rawValue, asset.phase.role, asset.phase.isFinal ? [.bold] : [])
                case .date:
                    guard let date = asset.lastPollenationDate else { cell("-", .muted); break }
                    cell(date + " " + String(asset.confirmed ? glyphs.check : glyphs.cross), asset.confirmed ? .text : .warn)
                case .tables:
                    cell(asset.failedTables.map(\.table.rawValue).joined(separator: ","), .error)
                }
            }
            if focused && first + offset == selected {
                buffer.restyle(inner.row(offset + 1), style: CellStyle(.selection))
            }
        }
    }
}
