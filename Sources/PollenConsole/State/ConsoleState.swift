import PollenEngine

/// Everything the console shows, built only by ``ConsoleReducer`` from engine events, keys
/// and clock ticks; the renderer draws it and nothing else.
public struct ConsoleState: Sendable {
    public var run = RunStatus()
    public var clock = ConsoleClock()
    /// The operator's cap on each table's write rate, as the engine last announced it
    /// (`nil` before the run has started): the engine owns it, the console only shows it.
    public var cap: WriteRateController.Cap?
    /// The cap the operator asked for and the engine has not announced yet; the next `+` or
    /// `-` steps from it, so quick presses add up.
    public var requestedCap: WriteRateController.Cap?
    /// The other runs this one has met through their asset leases, by run id (the latest seen).
    public var otherRuns: [String: LeaseHolder] = [:]
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

    public init(themeNames: [String] = [ThemeLoader.defaultName], themeIndex: Int = 0) {
        ui = Interaction(themeNames: themeNames, themeIndex: themeIndex)
    }

    /// The table row under the selection, if any.
    public var selectedTable: TableRow? {
        tables.indices.contains(ui.selectedTable) ? tables[ui.selectedTable] : nil
    }

    /// The asset row under the selection, if any.
    public var selectedAsset: AssetRow? {
        let listed = listedAssets
        return listed.indices.contains(ui.selectedAsset) ? listed[ui.selectedAsset] : nil
    }

    /// Whether the end-of-run summary is on screen (rather than the live panels).
    public var showsSummary: Bool { ui.showsSummary && run.summary != nil }

    /// The assets the assets panel lists, in its order: every asset as it started while the run
    /// goes on; on the summary, what needs attention first, narrowed by the summary's filter.
    public var listedAssets: [AssetRow] { showsSummary ? summaryAssets : assets.rows }

    /// FAILED, then PARTIAL, then the rest (each in the order they started), narrowed by the
    /// summary's filter.
    public var summaryAssets: [AssetRow] {
        func rank(_ phase: AssetPhase) -> Int { phase == .failed ? 0 : phase == .partial ? 1 : 2 }
        let filter = ui.assetFilter
        return assets.rows.enumerated()
            .filter { filter.map($0.element.matches) ?? true }
            .sorted { (rank($0.element.phase), $0.offset) < (rank($1.element.phase), $1.offset) }
            .map(\.element)
    }

    /// The assets whose latest result for `table` (any table when `nil`) is a failure.
    public func assetsFailing(_ table: PollenTable?) -> [AssetRow] {
        assets.rows.filter { row in
            if let table { return row.tables[table]?.state == .failed }
            return !row.failedTables.isEmpty || row.phase == .failed || row.phase == .partial
        }
    }

    /// Items done (written or given up) over the items the engine expects, 0–1.
    public var overallFraction: Double {
        if run.isFinished { return 1 }
        guard let progress = run.progress, progress.itemsExpected > 0 else { return 0 }
        return min(1, Double(progress.itemsWritten + progress.itemsFailed) / progress.itemsExpected)
    }
}
