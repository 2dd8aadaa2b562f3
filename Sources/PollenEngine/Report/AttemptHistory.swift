/// The attempts an operator made at one backfill: the first run and each re-run of what
/// failed (from the console, or `--rerun` of an earlier report), so the end-of-run summary
/// tells what every attempt did, not only the last.
public struct AttemptHistory: Sendable {
    /// One attempt: its number (1 for the first), what it re-ran, and its report.
    public struct Attempt: Sendable, Encodable {
        public var number: Int
        /// What the attempt re-ran (`re-run of cashFlow`); `nil` for a first run.
        public var rerun: String?
        public var report: RunReport
        /// Where the report was written, if it was.
        public var reportPath: String?

        private enum CodingKeys: String, CodingKey {
            case number, rerun, runId, status, exitCode, runDirectory, report, assets
        }

        /// The attempt in a JSON summary: its outcome, records, and each asset's status.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(number, forKey: .number)
            try container.encode(rerun, forKey: .rerun)
            try container.encode(report.runId, forKey: .runId)
            try container.encode(report.status, forKey: .status)
            try container.encode(report.exitCode, forKey: .exitCode)
            try container.encode(report.runDirectory, forKey: .runDirectory)
            try container.encode(reportPath, forKey: .report)
            try container.encode(report.assets.mapValues(\.status), forKey: .assets)
        }

        /// `#2 re-run of cashFlow COMPLETE exit 0`.
        public var title: String {
            "#\(number)\(rerun.map { " \($0)" } ?? "") \(report.status.rawValue) exit \(report.exitCode)"
        }
    }

    /// One asset across the attempts that worked on it: each attempt's status, and its
    /// latest outcome.
    public struct AssetHistory: Sendable {
        public var symbol: String
        /// The attempts that included the asset, with the status each ended it in.
        public var outcomes: [(attempt: Int, status: AssetStatus)]
        /// The asset's outcome in the last attempt that included it.
        public var latest: RunReport.AssetReport
    }

    public private(set) var attempts: [Attempt] = []

    public init() {}

    /// Adds the next attempt.
    public mutating func append(_ report: RunReport, rerun: String?, reportPath: String?) {
        attempts.append(Attempt(number: attempts.count + 1, rerun: rerun, report: report, reportPath: reportPath))
    }

    /// `re-run of cashFlow, earnings`, or `re-run of everything that failed`.
    public static func rerunLabel(tables: [PollenTable]?) -> String {
        "re-run of " + (tables.map { $0.map(\.rawValue).joined(separator: ", ") } ?? "everything that failed")
    }

    /// The last attempt, whose exit code is the process's.
    public var last: Attempt? { attempts.last }

    /// Every asset any attempt worked on, in symbol order.
    public var assets: [AssetHistory] {
        var histories: [String: AssetHistory] = [:]
        for attempt in attempts {
            for (symbol, asset) in attempt.report.assets {
                histories[symbol, default: AssetHistory(symbol: symbol, outcomes: [], latest: asset)].outcomes
                    .append((attempt.number, asset.status))
                histories[symbol]!.latest = asset
            }
        }
        return histories.keys.sorted().map { histories[$0]! }
    }
}
