import PollenEngine

/// The current run's retries: how many by attempt number and by reason, and the batches
/// backing off right now (until they are sent again or given up).
public struct RetryBoard: Sendable {
    /// Retries scheduled, by the attempt number the resend will be (2 = first resend).
    public private(set) var byAttempt: [Int: Int] = [:]
    public private(set) var byReason: [RetryReason: Int] = [:]
    private var waiting: [UInt64: BackoffEntry] = [:]

    public init() {}

    public var total: Int { byReason.values.reduce(0, +) }

    /// The batches backing off, the next one due first.
    public var backingOff: [BackoffEntry] {
        waiting.values.sorted { ($0.dueAt, $0.retry.batch) < ($1.dueAt, $1.retry.batch) }
    }

    mutating func schedule(_ retry: RetryInfo, at elapsed: Double) {
        byAttempt[retry.attempt, default: 0] += 1
        byReason[retry.reason, default: 0] += 1
        waiting[retry.batch] = BackoffEntry(retry: retry, scheduledAt: elapsed)
    }

    /// The batch was sent again, or given up: it no longer backs off.
    mutating func end(_ batch: UInt64) {
        waiting[batch] = nil
    }

    mutating func endAll() {
        waiting.removeAll()
    }
}
