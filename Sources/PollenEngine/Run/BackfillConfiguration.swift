/// How a backfill runs: identity, limits, retry policy and where its records go.
public struct BackfillConfiguration: Sendable {
    public var runID: String
    public var tablePrefix: String
    /// Requests in flight at once (`--concurrency`).
    public var concurrency: Int
    public var retryPolicy: RetryPolicy
    /// The operator's cap on each table's writes (`--max-capacity-pct`, `--max-wcu`).
    public var capacityCap: WriteRateController.Cap
    public var endpoint: String
    public var region: String
    /// Where `report.json`, `journal` and `events.jsonl` go; `nil` paths are not written.
    public var reportPath: String?
    public var journalPath: String?
    public var eventsPath: String?
    public var runDirectory: String?
    /// Seconds between `progress` events (and alert checks); `nil` emits none (tests).
    public var progressInterval: Double?
    /// Seconds between two re-reads of each table's announced capacity; `nil` reads it once.
    public var capacityRefreshInterval: Double?
    /// Per-asset leases in the `assets` table (see ``AssetLeases``); `nil`: none are taken.
    public var leasing: Leasing?

    /// How a run takes the leases of its assets.
    public struct Leasing: Sendable {
        /// This host's name, in every lease this run takes.
        public var host: String
        /// Whether an asset another run holds is come back to at the end (`--wait-for-leases`)
        /// rather than skipped.
        public var waitForLeases: Bool
        public var duration: Double
        public var skewAllowance: Double
        /// Runs whose leases this run holds as its own (see ``AssetLeases/predecessors``).
        public var predecessors: [String]

        public init(host: String, waitForLeases: Bool = false, duration: Double = AssetLeases.defaultDuration,
                    skewAllowance: Double = AssetLeases.defaultSkewAllowance, predecessors: [String] = []) {
            self.host = host
            self.waitForLeases = waitForLeases
            self.predecessors = predecessors
            self.duration = duration
            self.skewAllowance = skewAllowance
        }
    }

    public init(runID: String, tablePrefix: String = "", concurrency: Int = 16, retryPolicy: RetryPolicy = RetryPolicy(),
                capacityCap: WriteRateController.Cap = .init(), endpoint: String = "", region: String = "",
                reportPath: String? = nil, journalPath: String? = nil, eventsPath: String? = nil,
                runDirectory: String? = nil, progressInterval: Double? = 1, capacityRefreshInterval: Double? = 60) {
        self.runID = runID
        self.tablePrefix = tablePrefix
        self.concurrency = concurrency
        self.retryPolicy = retryPolicy
        self.capacityCap = capacityCap
        self.endpoint = endpoint
        self.region = region
        self.reportPath = reportPath
        self.journalPath = journalPath
        self.eventsPath = eventsPath
        self.runDirectory = runDirectory
        self.progressInterval = progressInterval
        self.capacityRefreshInterval = capacityRefreshInterval
    }

    /// A new run id: the UTC start time and a random suffix (`20261124T211450Z-3f9a`).
    public static func newRunID(at date: String, random: any RandomSource = SystemRandomSource()) -> String {
        let compact = date.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        let suffix = String(Int(random.nextUnit() * 65_536), radix: 16)
        return compact + "-" + String(repeating: "0", count: max(0, 4 - suffix.count)) + suffix
    }
}
