import PollenEngine

/// One table of the current run: its capacity, its latest numbers and how its (asset, table)
/// pairs ended.
public struct TableRow: Sendable {
    public var info: TableInfo
    /// The table's share of the latest progress snapshot.
    public var progress: ProgressSnapshot.TableProgress?
    /// The write rate Pollen allows itself (units/s), from the latest rate change or snapshot;
    /// `nil` is unlimited.
    public var allowedUnitsPerSecond: Double?
    /// What DynamoDB was last measured to grant the table while it pushed back (units/s), if it has.
    public var estimatedLimit: Double?
    /// (asset, table) pairs finished in this run, and those that failed.
    public var pairsFinished = 0
    public var pairsFailed = 0

    public init(info: TableInfo) {
        self.info = info
    }

    public var table: PollenTable { info.table }

    /// Throttled requests above this share make the row stand out.
    public static let throttledThresholdPercent = 1.0

    /// The table's status in one word, given whether the run has ended.
    public func status(runFinished: Bool) -> TableStatus {
        if info.unavailable != nil { return .unavailable }
        if runFinished { return pairsFailed > 0 || (progress?.failed ?? 0) > 0 ? .failed : .done }
        guard let progress else { return .waiting }
        if progress.throttledPercent >= Self.throttledThresholdPercent { return .throttled }
        if progress.backingOff > 0 { return .backingOff }
        if progress.inFlight > 0 || progress.itemsPerSecond > 0 { return .writing }
        return progress.itemsKnown > 0 || pairsFinished > 0 ? .idle : .waiting
    }

    /// The table's write capacity as far as it is known: announced (provisioned WCU or the
    /// on-demand maximum), else measured; `nil` when neither.
    public var knownCapacity: Double? {
        info.capacity.announcedWCU.map(Double.init) ?? estimatedLimit
    }

    /// Written items over known items, 0–1.
    public var fractionWritten: Double {
        guard let progress, progress.itemsKnown > 0 else { return 0 }
        return min(1, Double(progress.written) / Double(progress.itemsKnown))
    }
}
