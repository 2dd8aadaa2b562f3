import Synchronization

/// Keeps one table's write rate just under what the table grants.
///
/// A token bucket spaces batches out at the allowed rate in write units per second, first
/// come first served: the batch at the head of the queue waits until the bucket is out of
/// debt, then takes its units (the bucket may go into debt, so a 25-unit batch still goes on
/// a 5-unit/s table). Because only the head waits, a new rate applies at once to everything
/// queued. On top of the bucket, no one-second window ever holds more sent units than the
/// allowed rate (a batch larger than the rate goes alone): DynamoDB and the local server count
/// capacity per second, so a bucket's burst and debt would otherwise spill over the table's
/// share in some seconds and throttle whoever else writes to it. The allowed rate follows
/// DynamoDB's signals, additive-increase / multiplicative-decrease: a throttled request or
/// unprocessed items cut it (at most once a second), a second of clean answers raises it by a
/// step, never above the ceiling: the table's provisioned WCU times `--max-capacity-pct`, or
/// `--max-wcu`. A table with no known capacity (on-demand, no cap) is unlimited until
/// DynamoDB first pushes back, then starts from the rate it was actually granted.
public final class WriteRateController: Sendable {
    /// The operator's limits on this table's writes.
    public struct Cap: Sendable, Equatable {
        /// Share of the provisioned capacity Pollen may use, in percent.
        public var capacityPercent: Double
        /// An absolute ceiling in write units per second.
        public var maxUnitsPerSecond: Double?

        public init(capacityPercent: Double = 100, maxUnitsPerSecond: Double? = nil) {
            self.capacityPercent = capacityPercent
            self.maxUnitsPerSecond = maxUnitsPerSecond
        }
    }

    /// Tuning of the control loop.
    public struct Tuning: Sendable, Equatable {
        /// Seconds of unused schedule a burst may use after a quiet spell.
        public var burstSeconds = 0.1
        /// Factor applied on push-back.
        public var decrease = 0.8
        /// Least time between two decreases (one round of answers to the last cut).
        public var decreaseInterval = 1.0
        /// Share of the ceiling added per clean second (twice that share of the rate, when there
        /// is no ceiling to aim for).
        public var increaseShare = 0.05
        /// Never go below this, so a table keeps making progress.
        public var minimumRate = 1.0
        /// The least a first estimate of an unknown table's rate starts from.
        public var firstEstimateFloor = 10.0

        public init() {}
    }

    private struct State {
        var provisioned: Double?
        var cap: Cap
        /// `nil`: unlimited.
        var rate: Double?
        /// Units available now; negative while paying off a batch larger than the bucket.
        var tokens = 0.0
        var lastRefill = 0.0
        /// When a batch last had to wait: the rate is only raised while it is what limits writes.
        var lastWait = -Double.infinity
        var lastDecrease = -Double.infinity
        var lastIncrease = 0.0
        /// The rate last reported through `onChange`.
        var announced: Double?
        var granted = SlidingWindow(seconds: 10)
        /// The units sent in the last second, oldest first.
        var recent: [(at: Double, units: Double)] = []
        var recentUnits = 0.0
    }

    public let table: PollenTable
    private let tuning: Tuning
    private let clock: any EngineClock
    private let onChange: @Sendable (Double?, String) -> Void
    private let state: Mutex<State>
    /// First come, first served: only the head of the queue waits on the bucket.
    private let queue = RequestGate(limit: 1)

    public init(table: PollenTable, provisionedWCU: Int?, cap: Cap = Cap(), tuning: Tuning = Tuning(),
                clock: any EngineClock, onChange: @escaping @Sendable (Double?, String) -> Void = { _, _ in }) {
        self.table = table
        self.tuning = tuning
        self.clock = clock
        self.onChange = onChange
        var initial = State(provisioned: provisionedWCU.map(Double.init), cap: cap)
        initial.rate = Self.ceiling(of: initial)
        state = Mutex(initial)
    }

    /// The rate Pollen currently allows itself (units/s); `nil` = unlimited.
    public var allowedRate: Double? { state.withLock { $0.rate } }

    /// The most Pollen may use (units/s), from capacity and the operator's cap; `nil` = no ceiling.
    public var ceiling: Double? { state.withLock { Self.ceiling(of: $0) } }

    public var cap: Cap { state.withLock { $0.cap } }

    /// Waits until `units` more write units may be sent.
    public func acquire(units: Int) async throws {
        try await queue.acquire()
        defer { queue.release() }
        while true {
            let wait = take(units: units)
            if wait <= 0 { return }
            // Sleep in slices so that a rate change (or the operator's cap) applies promptly.
            try await clock.sleep(seconds: min(wait, 0.1))
        }
    }

    /// Takes `units` if the bucket is out of debt and returns 0; otherwise returns how long
    /// until it will be.
    func take(units: Int) -> Double {
        let now = clock.now()
        return state.withLock { state in
            guard let rate = state.rate else { return 0 }
            state.tokens = min(rate * tuning.burstSeconds, state.tokens + rate * max(0, now - state.lastRefill))
            state.lastRefill = now
            // A debt within rounding error is paid: a wait shorter than the clock's resolution
            // would never move it.
            let wait: Double
            if state.tokens < -1e-6 {
                wait = -state.tokens / rate
            } else if let windowWait = Self.windowWait(&state, units: Double(units), rate: rate, now: now) {
                wait = windowWait
            } else {
                state.tokens -= Double(units)
                state.recent.append((now, Double(units)))
                state.recentUnits += Double(units)
                return 0
            }
            state.lastWait = now
            return max(0.001, wait)
        }
    }

    /// How long until `units` more fit in the one-second window under `rate`; `nil` if they fit now.
    private static func windowWait(_ state: inout State, units: Double, rate: Double, now: Double) -> Double? {
        while let oldest = state.recent.first, oldest.at <= now - 1 {
            state.recent.removeFirst()
            state.recentUnits -= oldest.units
        }
        if state.recent.isEmpty { state.recentUnits = 0 }  // no drift from repeated subtraction
        guard !state.recent.isEmpty, state.recentUnits + units > rate + 1e-6 else { return nil }
        var remaining = state.recentUnits
        for sent in state.recent {
            remaining -= sent.units
            if remaining + units <= rate + 1e-6 { return sent.at + 1 - now }
        }
        return state.recent[state.recent.count - 1].at + 1 - now
    }

    /// Feeds back one answer: the units DynamoDB consumed and whether it pushed back
    /// (a throttling error, or unprocessed items). `sentAt` is when the request left: a
    /// push-back to a request sent before the last cut says nothing about the new rate.
    public func record(consumedUnits: Double, pushedBack: Bool, sentAt: Double) {
        let now = clock.now()
        let change: (Double?, String)? = state.withLock { state in
            state.granted.add(consumedUnits, at: now)
            if pushedBack {
                guard sentAt >= state.lastDecrease, now - state.lastDecrease >= tuning.decreaseInterval else { return nil }
                state.lastDecrease = now
                state.lastIncrease = now
                // Unlimited until now: start from what DynamoDB actually granted lately.
                let current = state.rate ?? max(tuning.firstEstimateFloor,
                                                state.granted.sum(lastSeconds: 1, at: now + 1),
                                                state.granted.sum(lastSeconds: 1, at: now))
                state.rate = max(tuning.minimumRate, current * tuning.decrease)
                state.announced = state.rate
                return (state.rate, "pushed back")
            }
            guard let rate = state.rate else { return nil }
            guard now - state.lastWait < 2 else {
                state.lastIncrease = now  // demand, not the rate, limits writes: no reason to raise it
                return nil
            }
            // Additive increase in proportion to the time since the last step, so that the
            // ramp does not depend on how often answers arrive.
            let seconds = min(2, now - state.lastIncrease)
            state.lastIncrease = now
            let ceiling = Self.ceiling(of: state)
            let raised: Double
            if let ceiling {
                raised = min(ceiling, rate + ceiling * tuning.increaseShare * seconds)
            } else {
                raised = rate + max(1, rate * 2 * tuning.increaseShare) * seconds
            }
            state.rate = raised
            // Announce steps of a unit or more, and reaching the ceiling.
            let last = state.announced ?? rate
            guard abs(raised - last) >= 1 || (raised == ceiling && last != ceiling) else { return nil }
            state.announced = raised
            return (raised, "headroom")
        }
        if let change { onChange(change.0, change.1) }
    }

    /// Changes the operator's cap (live, from the console); the rate never exceeds the new ceiling.
    public func setCap(_ cap: Cap) {
        let rate = state.withLock { state -> Double? in
            state.cap = cap
            let ceiling = Self.ceiling(of: state)
            if let ceiling {
                state.rate = min(state.rate ?? ceiling, ceiling)
            } else if state.provisioned == nil && cap.maxUnitsPerSecond == nil {
                state.rate = nil
            }
            return state.rate
        }
        onChange(rate, "operator cap")
    }

    private static func ceiling(of state: State) -> Double? {
        ceiling(provisionedWCU: state.provisioned, cap: state.cap)
    }

    /// The most a table with `provisionedWCU` (nil: on-demand) may get under `cap`; `nil` = no ceiling.
    public static func ceiling(provisionedWCU: Double?, cap: Cap) -> Double? {
        let fromCapacity = provisionedWCU.map { max(1, $0 * cap.capacityPercent / 100) }
        switch (fromCapacity, cap.maxUnitsPerSecond) {
        case let (capacity?, limit?): return min(capacity, limit)
        case let (capacity?, nil): return capacity
        case let (nil, limit?): return limit
        case (nil, nil): return nil
        }
    }
}
