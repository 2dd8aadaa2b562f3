import PollenEngine

/// The batches given up on, kept (up to a bound) for the drill-down and the summary's
/// breakdown of what failed and why.
public struct FailureLedger: Sendable {
    public static let capacity = 1000

    /// The failed batches, oldest first (the latest ``capacity``).
    public private(set) var batches: [FailedBatch] = []
    /// Failed batches no longer kept.
    public private(set) var dropped = 0

    public init() {}

    mutating func record(_ failure: BatchFailure, attempt: Int) {
        batches.append(FailedBatch(attempt: attempt, failure: failure))
        if batches.count > Self.capacity {
            batches.removeFirst()
            dropped += 1
        }
    }

    /// The failed batches of `table`, newest first.
    public func batches(of table: PollenTable) -> [FailedBatch] {
        batches.filter { $0.failure.table == table }.reversed()
    }

    /// The failed batches of asset `symbol`, newest first.
    public func batches(ofAsset symbol: String) -> [FailedBatch] {
        batches.filter { $0.failure.symbol == symbol }.reversed()
    }

    /// The distinct errors of `attempt`'s failed batches with how many batches had each, most
    /// frequent first.
    public func errorCounts(attempt: Int) -> [(error: String, count: Int)] {
        var counts: [String: Int] = [:]
        for batch in batches where batch.attempt == attempt { counts[batch.failure.error, default: 0] += 1 }
        return counts.map { ($0.key, $0.value) }.sorted { ($1.count, $0.error) < ($0.count, $1.error) }
    }
}
