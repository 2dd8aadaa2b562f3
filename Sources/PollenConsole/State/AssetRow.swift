import PollenEngine

/// One asset (symbol) across every attempt: its phase, how each of its tables ended, and the
/// `lastPollenationDate` read back from its row.
public struct AssetRow: Sendable {
    public var symbol: String
    public var phase: AssetPhase
    /// The phase the asset had before a re-run queued it, to go back to if the re-run ends
    /// before reaching it.
    public var phaseBeforeQueue: AssetPhase?
    /// The attempt that last worked on the asset.
    public var attempt: Int
    /// When the asset started, in seconds since its attempt started.
    public var startedAt: Double?
    /// The latest result of each table.
    public var tables: [PollenTable: TableResult] = [:]
    /// The `lastPollenationDate` the asset row holds, as read back after marking.
    public var lastPollenationDate: String?
    /// Whether the read-back confirmed this run's update.
    public var confirmed = false
    /// Why the asset row could not be updated or read, if so.
    public var markError: String?

    public init(symbol: String, phase: AssetPhase, attempt: Int) {
        self.symbol = symbol
        self.phase = phase
        self.attempt = attempt
    }

    /// Whether the summary's filter (lower-cased) finds the asset: in its symbol, status, date,
    /// or a failed table's name or reason.
    func matches(_ filter: String) -> Bool {
        var fields = [symbol, phase.rawValue, lastPollenationDate ?? "", markError ?? ""]
        for result in failedTables { fields += [result.table.rawValue, result.reason ?? ""] }
        return fields.contains { $0.lowercased().contains(filter) }
    }

    /// The tables whose latest result is a failure, in table order.
    public var failedTables: [TableResult] {
        tables.values.filter { $0.state == .failed }.sorted { $0.table < $1.table }
    }
}
