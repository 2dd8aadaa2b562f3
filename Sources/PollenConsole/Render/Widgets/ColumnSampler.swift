/// Fits a series of per-second values into a number of graph columns: the newest values, each
/// column the average of the same number of seconds, as few as fill the columns.
enum ColumnSampler {
    /// Seconds per column for `count` values in `columns` columns.
    static func secondsPerColumn(count: Int, columns: Int) -> Int {
        guard columns > 0 else { return 1 }
        return max(1, Int((Double(count) / Double(columns)).rounded()))
    }

    /// How many seconds the graph shows.
    static func span(count: Int, columns: Int) -> Int {
        min(count, secondsPerColumn(count: count, columns: columns) * columns)
    }

    static func sample(_ values: [Double], into columns: Int) -> [Double] {
        guard columns > 0, !values.isEmpty else { return [] }
        let perColumn = secondsPerColumn(count: values.count, columns: columns)
        let recent = values.suffix(span(count: values.count, columns: columns))
        var result: [Double] = []
        result.reserveCapacity(columns)
        var index = recent.startIndex
        while index < recent.endIndex {
            let end = min(index + perColumn, recent.endIndex)
            result.append(recent[index..<end].reduce(0, +) / Double(end - index))
            index = end
        }
        return result
    }
}
