/// How often and after how long a batch is sent again.
///
/// The defaults are the operating requirements: unprocessed items and transient errors
/// back off exponentially with full jitter; throttling errors back off exponentially with
/// jitter between 1 and 5 seconds; at most three attempts for errors.
///
/// Errors (5xx, timeouts, resets) are what `maxAttempts` counts: a batch fails after
/// `maxAttempts` sends in a row that failed that way. Throttling and unprocessed items are
/// DynamoDB saying "slower", not "failed": they pace the table and never count against the
/// attempts; a batch gives up on them only when its table (or its hot key) has written
/// nothing for `stallSeconds`. Each resend carries fewer items or waits for the table, so a
/// batch can never loop unbounded.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    /// First backoff for unprocessed items and transient errors, doubled per attempt.
    public var baseDelay: Double
    /// Longest backoff for unprocessed items and transient errors.
    public var maxDelay: Double
    /// Throttling errors wait at least this long...
    public var throttleMinimumDelay: Double
    /// ...and at most this long.
    public var throttleMaximumDelay: Double
    /// A throttled batch gives up once its table has written nothing for this long (`--stall-timeout`).
    public var stallSeconds: Double

    public init(maxAttempts: Int = 3, baseDelay: Double = 0.05, maxDelay: Double = 5,
                throttleMinimumDelay: Double = 1, throttleMaximumDelay: Double = 5, stallSeconds: Double = 60) {
        self.maxAttempts = maxAttempts
        self.stallSeconds = stallSeconds
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.throttleMinimumDelay = throttleMinimumDelay
        self.throttleMaximumDelay = throttleMaximumDelay
    }

    /// Seconds to wait before resend number `resend` (1 for the first resend) of a batch.
    ///
    /// - unprocessed, transient: uniformly in [0, min(maxDelay, baseDelay × 2^(resend-1))]
    ///   ("full jitter"), so that many batches backing off at once spread out;
    /// - throttled: uniformly in [throttleMinimumDelay, min(throttleMaximumDelay, throttleMinimumDelay × 2^resend)].
    public func delay(for reason: RetryReason, resend: Int, random: any RandomSource) -> Double {
        let exponent = Double(min(max(resend, 1), 30))
        switch reason {
        case .unprocessed, .transient:
            let ceiling = min(maxDelay, baseDelay * pow2(exponent - 1))
            return random.nextUnit() * ceiling
        case .throttled:
            let ceiling = min(throttleMaximumDelay, throttleMinimumDelay * pow2(exponent))
            return throttleMinimumDelay + random.nextUnit() * max(0, ceiling - throttleMinimumDelay)
        }
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
