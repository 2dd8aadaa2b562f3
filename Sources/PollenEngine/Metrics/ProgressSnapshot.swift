/// The run's numbers at one moment: totals, rates over the recent window, and estimates.
///
/// Computed in one place (``RunMetrics``) from the event stream; the console, plain output,
/// JSON progress lines and alerts all read it.
public struct ProgressSnapshot: Sendable, Codable, Equatable {
    public var elapsedSeconds: Double
    public var assetsTotal: Int?
    public var assetsStarted: Int
    public var assetsDone: Int
    public var itemsKnown: Int
    /// The items the whole run is expected to have: those read, and the assets not read yet at
    /// the average of those read. The progress bar and the ETA both stand on it.
    public var itemsExpected: Double
    public var itemsWritten: Int
    public var itemsFailed: Int
    public var itemsRejected: Int
    public var itemsPerSecond: Double
    public var unitsPerSecond: Double
    public var retriesPerSecond: Double
    /// Share of requests pushed back (throttled or with unprocessed items) in the window, 0–100.
    public var throttledPercent: Double
    public var batchFailurePercent: Double
    public var markFailurePercent: Double
    /// Seconds left at the current rate, when it can be estimated.
    public var etaSeconds: Double?
    public var tables: [TableProgress]
    /// The live source's fetching, when the run fetches.
    public var fetch: FetchSummary?

    /// Where fetching from Alpha Vantage stands.
    public struct FetchSummary: Sendable, Codable, Equatable {
        public var assetsFetched: Int
        public var assetsPending: Int
        public var requests: Int
        public var errors: Int
        /// Requests in the last minute, against the budget.
        public var requestsLastMinute: Double
        public var budgetPerMinute: Double
        /// Why fetching stopped for the run (the daily limit or budget, a refused key), once it has.
        public var stopped: String?
    }

    /// One table's share of the snapshot.
    public struct TableProgress: Sendable, Codable, Equatable {
        public var table: PollenTable
        public var name: String
        public var provisionedWCU: Int?
        /// The write rate Pollen currently allows itself (units/s); `nil` = unlimited.
        public var allowedUnitsPerSecond: Double?
        /// What DynamoDB was last measured to grant while it pushed back (units/s), if it has.
        public var estimatedLimitUnitsPerSecond: Double?
        /// DynamoDB's reason for the table's latest throttling error, if it gave one.
        public var lastThrottleReason: String?
        public var itemsKnown: Int
        public var written: Int
        public var failed: Int
        public var rejected: Int
        public var requests: Int
        public var retries: Int
        public var throttledRequests: Int
        public var unprocessedItems: Int
        public var consumedUnits: Double
        public var inFlight: Int
        public var backingOff: Int
        public var itemsPerSecond: Double
        public var unitsPerSecond: Double
        public var throttledPercent: Double
        public var unprocessedPerSecond: Double
        /// Consumed units in each of the last seconds, oldest first (for graphs).
        public var unitsHistory: [Double]
    }
}

/// What a finished run did, as the last line of `--ui json` and the end of every report.
public struct RunSummary: Sendable, Encodable {
    public var status: AssetStatus
    public var exitCode: Int32
    public var tables: [PollenTable: TableTotals]
    public var assets: [String: AssetSummary]
    public var report: String?
    public var runDirectory: String?
    public var interrupted: Bool
    public var fatalError: String?
    public var alerts: [Alert]
    public var elapsedSeconds: Double
    /// Every attempt of the backfill this run belongs to, when it re-ran an earlier one.
    public var attempts: [AttemptHistory.Attempt]?
    /// Assets another run held and this one left to it (`held by run R on host H until T`).
    public var heldByOtherRuns: [String: String]?

    /// Totals for one table over every asset.
    public struct TableTotals: Sendable, Codable, Equatable {
        public var written: Int = 0
        public var failed: Int = 0
        public var rejected: Int = 0
        public var duplicates: Int = 0
        public var retries: Int = 0
        public var throttled: Int = 0
        /// Throttling errors by DynamoDB's reason; absent when DynamoDB gave none.
        public var throttleReasons: [String: Int]?
        public var unprocessed: Int = 0
        public var consumedUnits: Double = 0
    }

    /// One asset's outcome.
    public struct AssetSummary: Sendable, Codable, Equatable {
        public var status: AssetStatus
        public var lastPollenationDate: String?
        public var confirmed: Bool

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(status, forKey: .status)
            try container.encode(lastPollenationDate, forKey: .lastPollenationDate)  // null when absent
            try container.encode(confirmed, forKey: .confirmed)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case status, exitCode, tables, assets, report, runDirectory, interrupted, fatalError, alerts, elapsedSeconds, attempts
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(Dictionary(uniqueKeysWithValues: tables.map { ($0.key.rawValue, $0.value) }), forKey: .tables)
        try container.encode(assets, forKey: .assets)
        try container.encode(report, forKey: .report)
        try container.encode(runDirectory, forKey: .runDirectory)
        try container.encode(interrupted, forKey: .interrupted)
        try container.encodeIfPresent(fatalError, forKey: .fatalError)
        try container.encode(alerts, forKey: .alerts)
        try container.encode((elapsedSeconds * 1000).rounded() / 1000, forKey: .elapsedSeconds)
        try container.encodeIfPresent(attempts, forKey: .attempts)
    }
}
