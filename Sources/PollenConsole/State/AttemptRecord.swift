import PollenEngine

/// One finished run of the console's session: the first run and each re-run keep theirs, so
/// the summary can say what every attempt did.
public struct AttemptRecord: Sendable {
    public var number: Int
    public var runId: String
    /// What the attempt re-ran: `nil` for the first run.
    public var rerun: RerunRequest?
    public var status: AssetStatus
    public var exitCode: Int32
    public var elapsedSeconds: Double
}

/// A re-run the operator asked for: one table where it failed, or everything that failed.
public struct RerunRequest: Equatable, Sendable {
    /// The table to re-run; `nil` for everything that failed.
    public var table: PollenTable?

    public init(table: PollenTable?) {
        self.table = table
    }

    public var description: String {
        AttemptHistory.rerunLabel(tables: table.map { [$0] })
    }
}
