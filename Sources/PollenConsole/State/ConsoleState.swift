import PollenEngine

/// Everything the console shows, built only by ``ConsoleReducer`` from engine events, keys
/// and clock ticks; the renderer draws it and nothing else.
public struct ConsoleState: Sendable {
    public var run = RunStatus()
    public var clock = ConsoleClock()
    /// The operator's cap on each table's write rate, in percent of its capacity (10–100).
    public var capacityPercent: Double
    /// The current run's tables, in the run's order.
    public var tables: [TableRow] = []
    public var assets = AssetBoard()
    public var retries = RetryBoard()
    public var alerts = AlertBoard()
    public var failures = FailureLedger()
    public var log = EventLog()
    /// The runs that have ended, first run first.
    public var attempts: [AttemptRecord] = []
    /// The re-run asked for and not started yet.
    public var pendingRerun: RerunRequest?
    public var ui: Interaction

    public static let capacityRange = 10.0...100.0
    public static let capacityStep = 10.0

    public init(capacityPercent: Double = 100, themeNames: [String] = [ThemeLoader.defaultName], themeIndex: Int = 0) {
        self.capacityPercent = min(max(capacityPercent, Self.capacityRange.lowerBound), Self.capacityRange.upperBound)
        ui = Interaction(themeNames: themeNames, themeIndex: themeIndex)
    }

    /// The table row under the selection, if any.
    public var selectedTable: TableRow? {
        tables.indices.contains(ui.selectedTable) ? tables[ui.selectedTable] : nil
    }

    /// The asset row under the selection, if any.
    public var selectedAsset: AssetRow? {
        assets.rows.indices.contains(ui.selectedAsset) ? assets.rows[ui.selectedAsset] : nil
    }

    /// The assets whose latest result for `table` (any table when `nil`) is a failure.
    public func assetsFailing(_ table: PollenTable?) -> [AssetRow] {
        assets.rows.filter { row in
            if let table { return row.tables[table]?.state == .failed }
            return !row.failedTables.isEmpty || row.phase == .failed || row.phase == .partial
        }
    }

    /// Items done (written or given up) over the items expected, 0–1, counting assets not read
    /// yet at the average size of those read so far.
    public var overallFraction: Double {
        if run.isFinished { return 1 }
        guard let progress = run.progress else { return 0 }
        var expected = Double(progress.itemsKnown)
        if let total = progress.assetsTotal, progress.assetsStarted > 0, progress.assetsStarted < total {
            expected += Double(total - progress.assetsStarted) * expected / Double(progress.assetsStarted)
        }
        guard expected > 0 else { return 0 }
        return min(1, Double(progress.itemsWritten + progress.itemsFailed) / expected)
    }
}
