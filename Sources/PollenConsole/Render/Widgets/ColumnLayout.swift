/// Fits the columns of a table into the width available, dropping the least important columns
/// first, so one panel reads well at 80 and at 200 columns.
struct ColumnLayout<ID: Hashable & Sendable> {
    /// One column of a table.
    struct Column: Sendable {
        enum Alignment: Sendable { case left, right }

        var id: ID
        var title: String
        var width: Int
        var alignment: Alignment = .right
        /// 1 is always shown; higher numbers are dropped first when space is short.
        var priority: Int = 1
        /// Whether the column takes the space left over.
        var grows = false
    }

    /// A column that made it, where it starts and how wide it is.
    struct Placed {
        var column: Column
        var x: Int
        var width: Int
    }

    let placed: [Placed]

    init(_ columns: [Column], x: Int, width: Int, spacing: Int = 1) {
        var kept = Set<Int>()
        var used = 0
        for index in columns.indices.sorted(by: { (columns[$0].priority, $0) < (columns[$1].priority, $1) }) {
            let needed = columns[index].width + (kept.isEmpty ? 0 : spacing)
            if used + needed <= width {
                kept.insert(index)
                used += needed
            }
        }
        let growing = kept.filter { columns[$0].grows }.sorted()
        let extra = growing.isEmpty ? 0 : (width - used) / growing.count
        var placed: [Placed] = []
        var cursor = x
        for index in kept.sorted() {
            let columnWidth = columns[index].width + (growing.contains(index) ? extra : 0)
            placed.append(Placed(column: columns[index], x: cursor, width: columnWidth))
            cursor += columnWidth + spacing
        }
        self.placed = placed
    }

    /// Whether column `id` is shown.
    func contains(_ id: ID) -> Bool {
        placed.contains { $0.column.id == id }
    }

    /// Draws the column titles on row `y`.
    func renderTitles(y: Int, buffer: inout CellBuffer) {
        for column in placed {
            Self.write(column.column.title, in: column, y: y, style: CellStyle(.header), buffer: &buffer)
        }
    }

    /// Writes `text` in a column, aligned as the column says and cut short if too long.
    static func write(_ text: String, in column: Placed, y: Int, style: CellStyle, buffer: inout CellBuffer) {
        let width = DisplayWidth.of(text)
        let x = column.column.alignment == .right && width < column.width ? column.x + column.width - width : column.x
        buffer.write(text, x: x, y: y, maxWidth: column.width, style: style)
    }
}
