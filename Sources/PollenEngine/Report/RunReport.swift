import Foundation
import PollenHTTP
import PollenSource

/// The run report (`report.json`): everything an operator needs to know what happened, per
/// asset and table, and what `--rerun` needs to repeat exactly the pairs that failed.
public struct RunReport: Sendable, Codable {
    public var runId: String
    public var status: AssetStatus
    public var exitCode: Int32
    public var startedAt: String
    public var finishedAt: String
    public var elapsedSeconds: Double
    public var endpoint: String
    public var region: String
    public var tablePrefix: String
    /// The source directory (absolute), or `alphavantage`.
    public var source: String
    public var resumedFrom: String?
    public var interrupted: Bool
    public var fatalError: String?
    public var runDirectory: String?
    public var journal: String?
    public var events: String?
    public var tables: [String: RunSummary.TableTotals]
    public var assets: [String: AssetReport]
    public var alerts: [Alert]
    /// Assets left to other runs (a live lease, or written by them since this run started); not
    /// failures of this run.
    public var heldByOtherRuns: [String: HeldAsset]? = nil

    /// One asset's outcome and its tables.
    public struct AssetReport: Sendable, Codable {
        public var status: AssetStatus
        public var lastPollenationDate: String?
        public var confirmed: Bool
        /// Why the row was not marked or confirmed (`asset not registered`).
        public var markError: String?
        /// Why the asset was never fetched, its row left untouched (`not fetched: the API key's
        /// daily limit was reached after 12 requests`); absent when it was.
        public var notFetched: String?
        public var durationSeconds: Double
        public var tables: [String: PairReport]
    }

    /// An asset left to other runs: one held a lease on it, or they wrote it since this run started.
    public struct HeldAsset: Sendable, Codable, Equatable {
        /// The run whose live lease was met, if one was.
        public var holder: LeaseHolder?
        /// `held by run R on host H until T`, `written by another run since this one started (...)`.
        public var reason: String
    }

    /// One (asset, table) pair.
    public struct PairReport: Sendable, Codable {
        public var state: TableState
        public var reason: String?
        public var items: Int
        public var written: Int
        public var alreadyWritten: Int
        public var failed: Int
        /// The first rejected records with their reasons (20 at most); ``rejectedTotal`` counts all.
        public var rejected: [RecordRejection]
        /// How many records were rejected, when more than the ones listed.
        public var rejectedCount: Int?
        public var duplicates: [String]
        public var failedBatches: [FailedBatch]
        public var retries: Int
        public var throttled: Int
        /// Throttling errors by DynamoDB's reason; absent when DynamoDB gave none.
        public var throttleReasons: [String: Int]?
        public var unprocessed: Int
        public var consumedUnits: Double
        public var durationSeconds: Double

        /// Every record rejected, listed or not.
        public var rejectedTotal: Int { rejectedCount ?? rejected.count }
    }

    /// A batch given up on: the keys of the items not written, the attempts and the last error.
    public struct FailedBatch: Sendable, Codable, Equatable {
        public var keys: [String]
        public var attempts: Int
        public var error: String
    }

    /// The (asset, table) pairs that failed, for `--rerun`.
    public var failedPairs: WorkPlan {
        WorkPlan(units: assets.keys.sorted().compactMap { symbol in
            let tables = assets[symbol]!.tables.compactMap { name, pair in
                pair.state == .failed ? PollenTable(rawValue: name) : nil
            }
            return tables.isEmpty ? nil : WorkPlan.Unit(symbol: symbol, tables: tables)
        })
    }

    /// Reads a report written by an earlier run.
    public static func read(path: String) throws -> RunReport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError.unreadable(path: path)
        }
        do {
            return try JSONDecoder().decode(RunReport.self, from: data)
        } catch {
            throw ReportError.notAReport(path: path)
        }
    }

    /// Writes the report to `path` atomically (a temporary file renamed into place).
    ///
    /// The same bytes as encoding the whole report at once, but an asset at a time: one
    /// encoder pass over a million-item run's 6,600 assets holds a tree of the whole report,
    /// about 60 MB on top of the run's own 60 MB.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var frame = self
        frame.assets = [:]
        let text = String(decoding: try encoder.encode(frame), as: UTF8.self)
        // Pretty-printed JSON has no raw newline inside a string, so this top-level member is unique.
        let emptyAssets = "\n  \"assets\" : {\n\n  }"
        guard !assets.isEmpty, let hole = text.range(of: emptyAssets) else {
            return try KnownSecrets.redacted(encoder.encode(self)).write(to: url, options: .atomic)
        }
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(runId).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw ReportError.unwritable(path: temporary.path)
        }
        do {
            let file = try FileHandle(forWritingTo: temporary)
            defer { try? file.close() }
            try file.write(contentsOf: KnownSecrets.redacted(Data((text[..<hole.lowerBound] + "\n  \"assets\" : {").utf8)))
            for (index, symbol) in assets.keys.sorted().enumerated() {
                let key = String(decoding: try encoder.encode(symbol), as: UTF8.self)
                let value = String(decoding: try encoder.encode(assets[symbol]!), as: UTF8.self)
                // Nested one level deeper; the blank line of an empty array or object stays blank.
                let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
                let member = (index == 0 ? "\n    " : ",\n    ") + key + " : "
                    + lines.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n").dropFirst(4)
                try file.write(contentsOf: KnownSecrets.redacted(Data(member.utf8)))
            }
            try file.write(contentsOf: KnownSecrets.redacted(Data(("\n  }" + text[hole.upperBound...]).utf8)))
            try file.synchronize()
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError.unwritable(path: path)
        }
    }
}

/// Why a report cannot be used for `--rerun`, or written.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case notAReport(path: String)
    case unwritable(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path): return "Cannot read the report \(path)."
        case .notAReport(let path): return "\(path) is not a pollen run report."
        case .unwritable(let path): return "Cannot write the report \(path)."
        }
    }
}
