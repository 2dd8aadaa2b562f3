import PollenDynamoDB

/// Retries one DynamoDB call on throttling and transient errors with the engine's policy:
/// for the calls around the batches (describing tables, marking asset rows) and the
/// commands that manage tables and asset rows.
public struct Retrying: Sendable {
    let policy: RetryPolicy
    let clock: any EngineClock
    let random: any RandomSource

    public init(policy: RetryPolicy = RetryPolicy(), clock: any EngineClock = SystemClock(),
                random: any RandomSource = SystemRandomSource()) {
        self.policy = policy
        self.clock = clock
        self.random = random
    }

    public func run<T: Sendable>(_ call: () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await call()
            } catch let error as DynamoDBError
                where error.isRetryable && error.category != .connection && attempt < max(policy.maxAttempts, 3) {
                let reason: RetryReason = error.category == .throttling ? .throttled : .transient
                try await clock.sleep(seconds: policy.delay(for: reason, resend: attempt, random: random))
                attempt += 1
            }
        }
    }
}
