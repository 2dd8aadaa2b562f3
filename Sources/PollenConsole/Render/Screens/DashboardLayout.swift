/// Where each live panel goes for a given body size.
///
/// Always: the tables across the top, the capacity graph, the retries, then assets beside the
/// event log. On a roomy screen (120 columns and enough rows) the graph spans the width with
/// two rows per table and the throttle and alerts panels sit beside the retries; otherwise the
/// graph (one sparkline per table) shares a row with the retries, and throttling stays visible
/// in the tables and the header, alerts in the header and the log.
struct DashboardLayout {
    var tables: Rect
    var graph: Rect
    var retries: Rect
    var throttle: Rect?
    var alerts: Rect?
    var assets: Rect
    var log: Rect

    static let roomyWidth = 120
    static let retriesWidth = 36
    static let bandHeight = 8
    /// Rows kept for the assets and the event log (frame, titles, at least three lines).
    static let minimumBottomHeight = 6

    init(body: Rect, tableCount: Int) {
        var rest: Rect
        (tables, rest) = body.splitTop(TablesPanel.height(tableCount: tableCount))
        let roomyGraph = CapacityGraphPanel.height(tableCount: tableCount, rowsPerTable: 2)
        if body.width >= Self.roomyWidth && rest.height >= roomyGraph + 2 * Self.bandHeight {
            (graph, rest) = rest.splitTop(roomyGraph)
            var band: Rect
            (band, rest) = rest.splitTop(Self.bandHeight)
            let third = band.width / 3
            var right: Rect
            (retries, right) = band.splitLeft(third)
            let (middle, last) = right.splitLeft(third)
            (throttle, alerts) = (middle, last)
        } else {
            var band: Rect
            let graphHeight = CapacityGraphPanel.height(tableCount: tableCount, rowsPerTable: 1)
            (band, rest) = rest.splitTop(min(graphHeight, max(4, rest.height - Self.minimumBottomHeight)))
            (graph, retries) = band.splitLeft(band.width - Self.retriesWidth)
        }
        (assets, log) = rest.splitLeft(max(34, rest.width * 3 / 10))
    }
}
