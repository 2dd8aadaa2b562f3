import Foundation
import PollenDynamoDB
import PollenSource

/// One thing that happened in a run, stamped with the seconds since the run started.
///
/// This one stream feeds everything that watches a run: the console, plain and JSON output,
/// the structured log (`events.jsonl`), the metrics and the report. Events carry table names,
/// symbols, keys and counts, never item contents or secrets.
public struct EngineEvent: Sendable, Encodable {
    /// Seconds since the run started (monotonic).
    public var elapsed: Double
    public var body: Body

    public init(elapsed: Double, body: Body) {
        self.elapsed = elapsed
        self.body = body
    }

    /// What happened.
    public enum Body: Sendable {
        case runStarted(RunInfo)
        case assetStarted(symbol: String)
        case tableLoaded(TableLoad)
        case batchSent(BatchInfo)
        case batchAcknowledged(BatchAck)
        case batchThrottled(BatchIssue)
        case batchErrored(BatchIssue)
        case retryScheduled(RetryInfo)
        case batchFailed(BatchFailure)
        case tableFinished(TableResult)
        case assetMarked(AssetMark)
        /// An asset's lease was met: another run holds it (`taken` false), or this run took it
        /// over from a run whose lease had run out (`taken` true).
        case leaseMet(LeaseMeeting)
        case rateChanged(RateChange)
        /// The operator changed the write-rate cap (from the console).
        case capChanged(WriteRateController.Cap)
        case fetchProgress(FetchProgress)
        case stateChanged(RunState)
        case alert(Alert)
        case progress(ProgressSnapshot)
        case runFinished(RunSummary)
    }

    /// The event's name in JSON (`batchSent`, `summary`, ...).
    public var name: String {
        switch body {
        case .runStarted: return "runStarted"
        case .assetStarted: return "assetStarted"
        case .tableLoaded: return "tableLoaded"
        case .batchSent: return "batchSent"
        case .batchAcknowledged: return "batchAcknowledged"
        case .batchThrottled: return "batchThrottled"
        case .batchErrored: return "batchErrored"
        case .retryScheduled: return "retryScheduled"
        case .batchFailed: return "batchFailed"
        case .tableFinished: return "tableFinished"
        case .assetMarked: return "assetMarked"
        case .leaseMet: return "leaseMet"
        case .rateChanged: return "rateChanged"
        case .capChanged: return "capChanged"
        case .fetchProgress: return "fetch"
        case .stateChanged: return "stateChanged"
        case .alert: return "alert"
        case .progress: return "progress"
        case .runFinished: return "summary"
        }
    }

    private enum CodingKeys: String, CodingKey { case event, elapsed, symbol, state }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .event)
        try container.encode((elapsed * 1000).rounded() / 1000, forKey: .elapsed)
        switch body {
        case .runStarted(let value): try value.encode(to: encoder)
        case .assetStarted(let symbol): try container.encode(symbol, forKey: .symbol)
        case .tableLoaded(let value): try value.encode(to: encoder)
        case .batchSent(let value): try value.encode(to: encoder)
        case .batchAcknowledged(let value): try value.encode(to: encoder)
        case .batchThrottled(let value), .batchErrored(let value): try value.encode(to: encoder)
        case .retryScheduled(let value): try value.encode(to: encoder)
        case .batchFailed(let value): try value.encode(to: encoder)
        case .tableFinished(let value): try value.encode(to: encoder)
        case .assetMarked(let value): try value.encode(to: encoder)
        case .leaseMet(let value): try value.encode(to: encoder)
        case .rateChanged(let value): try value.encode(to: encoder)
        case .capChanged(let value): try value.encode(to: encoder)
        case .fetchProgress(let value): try value.encode(to: encoder)
        case .stateChanged(let value): try container.encode(value, forKey: .state)
        case .alert(let value): try value.encode(to: encoder)
        case .progress(let value): try value.encode(to: encoder)
        case .runFinished(let value): try value.encode(to: encoder)
        }
    }
}

/// Another run's lease on an asset, as one run met it.
public struct LeaseMeeting: Sendable, Codable, Equatable {
    public var symbol: String
    public var holder: LeaseHolder
    /// Whether this run took the lease over (it had run out) rather than leaving the asset.
    public var takenOver: Bool

    public init(symbol: String, holder: LeaseHolder, takenOver: Bool) {
        self.symbol = symbol
        self.holder = holder
        self.takenOver = takenOver
    }
}

/// Where the run is: writing, paused by the operator, draining after Ctrl-C, or done.
public enum RunState: String, Sendable, Codable {
    case running = "RUNNING", paused = "PAUSED", draining = "DRAINING", done = "DONE"
}

/// What a run is about to do.
public struct RunInfo: Sendable, Codable {
    public var runId: String
    public var endpoint: String
    public var region: String
    public var tablePrefix: String
    public var tables: [TableInfo]
    /// The number of assets selected, when known up front.
    public var assets: Int?
    public var dryRun: Bool
    public var resumed: Bool
    public var runDirectory: String?
    /// The operator's write-rate cap the run starts with.
    public var cap: WriteRateController.Cap

    public init(runId: String, endpoint: String, region: String, tablePrefix: String, tables: [TableInfo],
                assets: Int?, dryRun: Bool, resumed: Bool, runDirectory: String?, cap: WriteRateController.Cap = .init()) {
        self.runId = runId
        self.endpoint = endpoint
        self.region = region
        self.tablePrefix = tablePrefix
        self.tables = tables
        self.assets = assets
        self.dryRun = dryRun
        self.resumed = resumed
        self.runDirectory = runDirectory
        self.cap = cap
    }
}

/// A table of the run and the write capacity DynamoDB announces for it.
public struct TableInfo: Sendable, Codable, Equatable {
    public var table: PollenTable
    /// The physical name (with the prefix).
    public var name: String
    public var capacity: TableCapacity
    /// Why the table cannot be written at all (missing, access denied), if so.
    public var unavailable: String?

    public init(table: PollenTable, name: String, capacity: TableCapacity, unavailable: String? = nil) {
        self.table = table
        self.name = name
        self.capacity = capacity
        self.unavailable = unavailable
    }

    /// A table with only its provisioned capacity known (`nil`: on-demand).
    public init(table: PollenTable, name: String, provisionedWCU: Int?, unavailable: String? = nil) {
        self.init(table: table, name: name, capacity: TableCapacity(provisionedWCU: provisionedWCU), unavailable: unavailable)
    }

    /// Provisioned write units per second; `nil` for on-demand tables.
    public var provisionedWCU: Int? { capacity.provisionedWCU }

    private enum CodingKeys: String, CodingKey { case table, name, provisionedWCU, maxOnDemandWCU, warmWCU, unavailable }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        table = try container.decode(PollenTable.self, forKey: .table)
        name = try container.decode(String.self, forKey: .name)
        capacity = TableCapacity(provisionedWCU: try container.decodeIfPresent(Int.self, forKey: .provisionedWCU),
                                 maxOnDemandWCU: try container.decodeIfPresent(Int.self, forKey: .maxOnDemandWCU),
                                 warmWCU: try container.decodeIfPresent(Int.self, forKey: .warmWCU))
        unavailable = try container.decodeIfPresent(String.self, forKey: .unavailable)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(table, forKey: .table)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(capacity.provisionedWCU, forKey: .provisionedWCU)
        try container.encodeIfPresent(capacity.maxOnDemandWCU, forKey: .maxOnDemandWCU)
        try container.encodeIfPresent(capacity.warmWCU, forKey: .warmWCU)
        try container.encodeIfPresent(unavailable, forKey: .unavailable)
    }
}

/// An (asset, table) pair read and validated, ready to write.
public struct TableLoad: Sendable, Codable {
    public var symbol: String
    public var table: PollenTable
    public var items: Int
    public var units: Int
    public var rejected: Int
    public var duplicates: Int
    /// Items a resumed run found already written in the journal (not sent again).
    public var alreadyWritten: Int
}

/// One `BatchWriteItem` request about to be sent.
public struct BatchInfo: Sendable, Codable {
    public var batch: UInt64
    public var symbol: String
    public var table: PollenTable
    public var items: Int
    public var units: Int
    public var attempt: Int
}

/// DynamoDB's answer to a batch: what it wrote and what it left unprocessed.
public struct BatchAck: Sendable, Codable {
    public var batch: UInt64
    public var symbol: String
    public var table: PollenTable
    public var written: Int
    public var unprocessed: Int
    public var consumedUnits: Double
    public var latencyMs: Double
}

/// What kind of failure a batch met, which decided whether it was retried.
public typealias ErrorCategory = DynamoDBError.Category

/// A batch request that failed as a whole on one attempt (throttled, or an error).
public struct BatchIssue: Sendable, Codable {
    public var batch: UInt64
    public var symbol: String
    public var table: PollenTable
    public var code: String
    public var category: ErrorCategory
    public var message: String
    /// DynamoDB's `ThrottlingReasons` of a throttling error (`TableWriteKeyRangeThroughputExceeded`).
    public var throttlingReasons: [String]

    public init(batch: UInt64, symbol: String, table: PollenTable, code: String, category: ErrorCategory, message: String,
                throttlingReasons: [String] = []) {
        self.batch = batch
        self.symbol = symbol
        self.table = table
        self.code = code
        self.category = category
        self.message = message
        self.throttlingReasons = throttlingReasons
    }
}

/// Why a batch is sent again.
public enum RetryReason: String, Sendable, Codable {
    case unprocessed, throttled, transient
}

/// A batch waiting to be sent again.
public struct RetryInfo: Sendable, Codable {
    public var batch: UInt64
    public var symbol: String
    public var table: PollenTable
    /// The attempt number the resend will be.
    public var attempt: Int
    public var delaySeconds: Double
    public var reason: RetryReason
    public var items: Int
}

/// A batch given up on: its keys and the last error, so it can be re-run.
public struct BatchFailure: Sendable, Codable, Equatable {
    public var batch: UInt64
    public var symbol: String
    public var table: PollenTable
    public var keys: [String]
    public var attempts: Int
    public var error: String
}

/// The final state of one (asset, table) pair.
public enum TableState: String, Sendable, Codable {
    case ok, failed, nodata
}

/// What happened to one (asset, table) pair.
public struct TableResult: Sendable, Codable {
    public var symbol: String
    public var table: PollenTable
    public var state: TableState
    public var written: Int
    public var failed: Int
    public var rejected: Int
    /// Why the pair failed, in one sentence.
    public var reason: String?
}

/// An asset's status, as computed over its tables.
public enum AssetStatus: String, Sendable, Codable {
    case complete = "COMPLETE", partial = "PARTIAL", failed = "FAILED"
}

/// The asset row update and its read-back.
public struct AssetMark: Sendable, Codable {
    public var symbol: String
    public var status: AssetStatus
    /// The `lastPollenationDate` read back from the row (consistent read), if any.
    public var lastPollenationDate: String?
    /// Whether the read-back shows this run's update.
    public var confirmed: Bool
    /// Why the row could not be updated or read (`asset not registered`).
    public var error: String?
    public var durationSeconds: Double
}

/// A change of a table's allowed write rate (the rate controller, or the operator's cap), or of
/// a hot partition key's.
public struct RateChange: Sendable, Codable, Equatable {
    /// Why the rate moved.
    public enum Reason: String, Sendable, Codable {
        /// The run's first rate.
        case start
        /// Doubling towards the table's warm throughput (nothing announced).
        case slowStart = "slow start"
        /// Climbing back towards (or past) the measured limit.
        case probe
        /// DynamoDB pushed back: just under what it was measured to grant.
        case pushedBack = "pushed back"
        /// The operator moved the cap.
        case operatorCap = "operator cap"
        /// A re-describe found the table's capacity changed.
        case capacityChanged = "capacity changed"
    }

    public var table: PollenTable
    /// The partition key (symbol) paced on its own after DynamoDB called it hot; `nil` for the table.
    public var symbol: String?
    /// Write units per second; `nil` means unlimited.
    public var unitsPerSecond: Double?
    public var reason: Reason
    /// What DynamoDB was last measured to grant while it pushed back, if it has.
    public var estimatedLimit: Double?
    /// The most Pollen may use (announced capacity times the operator's cap); `nil` = none.
    public var ceiling: Double?

    public init(table: PollenTable, symbol: String? = nil, unitsPerSecond: Double?, reason: Reason,
                estimatedLimit: Double? = nil, ceiling: Double? = nil) {
        self.table = table
        self.symbol = symbol
        self.unitsPerSecond = unitsPerSecond
        self.reason = reason
        self.estimatedLimit = estimatedLimit
        self.ceiling = ceiling
    }
}

/// One Alpha Vantage fetch settled (or is retried), with where the fetcher is.
public struct FetchProgress: Sendable, Codable, Equatable {
    /// How a fetch went.
    public enum Outcome: String, Sendable, Codable {
        case fetched, nodata, failed, retrying
        /// Fetching stopped for the run: the daily limit or budget, or a refused key.
        case stopped
    }

    public var symbol: String
    /// The Alpha Vantage function (`EARNINGS`).
    public var function: String
    public var outcome: Outcome
    public var attempt: Int
    /// Why it failed or is retried (never the API key).
    public var message: String?
    public var assetsFetched: Int
    public var assetsPending: Int
    /// The requests-per-minute budget (`--fetch-rpm`).
    public var budgetPerMinute: Double
}

/// An operating threshold crossed (or cleared).
public struct Alert: Sendable, Codable, Equatable {
    /// Which condition the alert watches (its `name` in events, reports and metrics).
    public enum Kind: String, Sendable, Codable {
        case batchFailureRate, slowAsset, throttleRate, markFailureRate, reportNotWritten, journalTailCut
    }

    public var name: Kind
    public var message: String
    public var value: Double
    public var threshold: Double
    public var active: Bool
}
