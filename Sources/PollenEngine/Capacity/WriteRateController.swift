import PollenDynamoDB
import Synchronization

/// Keeps one table's writes (or one hot partition key's) just under what DynamoDB grants.
///
/// Requests queue first come, first served; the head waits on a ``PacingBucket`` at the rate
/// the ``CapacityEstimator`` sets from DynamoDB's answers. Units are charged as estimated when a
/// request leaves and corrected to DynamoDB's `ConsumedCapacity` when it answers, and the
/// estimate itself is scaled by what DynamoDB has been charging, so the pacing counts what the
/// table counts. A request that a key-range throttle refused gives its units back: the table's
/// capacity was not what stopped it.
public final class WriteRateController: Sendable {
    /// The operator's limits on this table's writes.
    public struct Cap: Sendable, Equatable, Codable {
        /// Share of the announced capacity Pollen may use, in percent (of the learned rate, or
        /// of the warm throughput before one is learned, when nothing is announced).
        public var capacityPercent: Double
        /// An absolute ceiling in write units per second.
        public var maxUnitsPerSecond: Double?

        /// The percentages a cap may take: above 0, at most 100 (`--max-capacity-pct`).
        public static func isValid(percent: Double) -> Bool { percent > 0 && percent <= 100 }

        public init(capacityPercent: Double = 100, maxUnitsPerSecond: Double? = nil) {
            self.capacityPercent = capacityPercent
            self.maxUnitsPerSecond = maxUnitsPerSecond
        }

        /// The next cap up or down (the console's `+` and `-`): steps of 10 points between 10%
        /// and 100%, halving below 10% (down to 1%); `nil` when already at the end.
        public func stepped(up: Bool) -> Cap? {
            let percent = capacityPercent
            let next: Double
            if up {
                next = percent < 10 ? 10 : min(100, (percent / 10).rounded(.down) * 10 + 10)
            } else {
                next = percent > 10 ? max(10, (percent / 10).rounded(.up) * 10 - 10) : max(1, percent / 2)
            }
            guard abs(next - percent) > 1e-9 else { return nil }
            return Cap(capacityPercent: next, maxUnitsPerSecond: maxUnitsPerSecond)
        }
    }

    /// Tuning of the bucket and the control loop.
    public struct Tuning: Sendable, Equatable {
        /// Seconds of unused schedule a burst may use after a quiet spell.
        public var burstSeconds = 1.0
        var estimator = CapacityEstimator.Tuning()

        public init() {}
    }

    /// A request's claim on the rate: handed back with DynamoDB's answer.
    public struct Ticket: Sendable {
        let id: UInt64
        /// When the request left (answers to requests sent before the last cut say nothing of the
        /// new rate): when the rate let it go, until ``WriteRateController/sent(_:)`` says.
        public internal(set) var sentAt: Double
        /// How many of the request's leading items may go now (the rest waits for the next ticket).
        public let items: Int
        let charged: Double
    }

    private struct State {
        var estimator: CapacityEstimator
        var bucket: PacingBucket
        /// DynamoDB's units per estimated unit, learned from `ConsumedCapacity`.
        var unitScale = 1.0
        /// When a request last had to wait: raising the rate only means something while it limits writes.
        var lastWait = -Double.infinity
        /// When each request sent and still unanswered left, by ticket (a request given up without
        /// an answer stays until it is too old to count).
        var unanswered: [UInt64: Double] = [:]
    }

    public let table: PollenTable
    /// The partition key this controller paces, for a hot key's pacer; `nil` for the whole table.
    public let symbol: String?
    private let clock: any EngineClock
    private let onChange: @Sendable (RateChange) -> Void
    private let state: Mutex<State>
    /// First come, first served: only the head of the queue waits on the bucket.
    private let queue = RequestGate(limit: 1)

    public init(table: PollenTable, capacity: TableCapacity, cap: Cap = Cap(), tuning: Tuning = Tuning(),
                clock: any EngineClock, onChange: @escaping @Sendable (RateChange) -> Void = { _ in }) {
        self.table = table
        symbol = nil
        self.clock = clock
        self.onChange = onChange
        state = Mutex(State(estimator: CapacityEstimator(capacity: capacity, cap: cap, tuning: tuning.estimator,
                                                         now: clock.now()),
                            bucket: PacingBucket(burstSeconds: tuning.burstSeconds)))
    }

    /// A hot key's pacer, started the moment DynamoDB pushed back on the key alone.
    init(table: PollenTable, symbol: String, tuning: Tuning = Tuning(), clock: any EngineClock,
         onChange: @escaping @Sendable (RateChange) -> Void) {
        self.table = table
        self.symbol = symbol
        self.clock = clock
        self.onChange = onChange
        state = Mutex(State(estimator: CapacityEstimator(hotKeyAt: clock.now(), tuning: tuning.estimator),
                            bucket: PacingBucket(burstSeconds: tuning.burstSeconds)))
    }

    /// The rate Pollen currently allows itself (units/s).
    public var allowedRate: Double { state.withLock { $0.estimator.rate } }
    /// What DynamoDB was last measured to grant while it pushed back (units/s), if it has.
    public var estimatedLimit: Double? { state.withLock { $0.estimator.estimate } }
    /// The most Pollen may use (units/s), from announced capacity and the operator's cap; `nil` = none.
    public var ceiling: Double? { state.withLock { $0.estimator.ceiling } }
    /// The operator's cap the rate is held under now.
    public var cap: Cap { state.withLock { $0.estimator.cap } }
    /// DynamoDB's units per unit Pollen estimates, as learned from `ConsumedCapacity`.
    var unitScale: Double { state.withLock { $0.unitScale } }

    /// The current rate as an event.
    public func current(reason: RateChange.Reason) -> RateChange {
        state.withLock { event(rate: $0.estimator.rate, reason: reason, estimator: $0.estimator) }
    }

    /// Waits until the rate allows some of a request's items (each item's estimated units, in
    /// order) to be sent: all of them, or the leading ones that fill the rate exactly.
    public func acquire(_ items: [Int]) async throws -> Ticket {
        try await queue.acquire()
        defer { queue.release() }
        while true {
            switch take(items) {
            case .success(let ticket): return ticket
            // Sleep in slices so that a rate change (or the operator's cap) applies promptly.
            case .failure(let wait): try await clock.sleep(seconds: min(wait.seconds, 0.1))
            }
        }
    }

    /// Requests queued behind the one waiting on the rate.
    var queuedAcquirers: Int { queue.waiting }

    /// Whether the rate held a request back in the last second: the table, not the round trips,
    /// sets the run's pace.
    var heldRequestsBackLately: Bool {
        let now = clock.now()
        return state.withLock { now - $0.lastWait < 1 }
    }

    /// Whether the table has nothing to send: no request waits on the rate or did a moment
    /// ago, and none sent lately is unanswered. A throttled batch asleep may go early then.
    var isIdle: Bool {
        guard queue.isFree else { return false }
        let now = clock.now()
        return state.withLock { state in
            now - state.lastWait > Self.idleSeconds
                && state.unanswered.values.allSatisfy { $0 <= now - CapacityEstimator.historySeconds }
        }
    }

    /// How long no request may have waited on the rate for the table to count as idle.
    static let idleSeconds = 0.25

    /// Takes what the rate allows of `items` now; otherwise says how long until it will.
    func take(_ items: [Int]) -> Result<Ticket, PacingBucket.Wait> {
        let now = clock.now()
        return state.withLock { state in
            let scale = state.unitScale
            let units = items.map { Double($0) * scale }
            // A second may hold up to a request more than the rate, within the share of the
            // table Pollen knows it has (measured or announced).
            let rate = state.estimator.rate
            let share = state.estimator.knownShare.map { min($0, rate + units.reduce(0, +)) } ?? rate
            switch state.bucket.take(units, rate: rate, windowLimit: share, now: now) {
            case .success(let grant):
                return .success(Ticket(id: grant.id, sentAt: now, items: grant.items, charged: grant.units))
            case .failure(let wait):
                state.lastWait = now
                return .failure(wait)
            }
        }
    }

    /// Marks the request of `ticket` as leaving now (it may have waited for a request slot since
    /// the rate let it go): its units count from now, and until it is answered, no span that
    /// includes it is measured.
    public func sent(_ ticket: Ticket) -> Ticket {
        var ticket = ticket
        ticket.sentAt = clock.now()
        state.withLock { $0.unanswered[ticket.id] = ticket.sentAt }
        return ticket
    }

    /// Feeds back DynamoDB's answer to the request of `ticket`: the units it consumed, the
    /// estimated units of the items it wrote, and whether (and why) it pushed back.
    public func record(_ ticket: Ticket, consumedUnits: Double, writtenUnits: Int, pushedBack: Bool,
                       reason: ThrottlingReason? = nil) {
        let now = clock.now()
        let change = state.withLock { state -> RateChange? in
            state.unanswered[ticket.id] = nil
            var unansweredSince = state.unanswered.values.min()
            if let oldest = unansweredSince, oldest <= now - CapacityEstimator.historySeconds {
                // Requests given up without an answer: too old to hold anything back.
                state.unanswered = state.unanswered.filter { $0.value > now - CapacityEstimator.historySeconds }
                unansweredSince = state.unanswered.values.min()
            }
            // A key's push-back is not the table's: the table's pacer gives the units back and
            // is not cut. (For a hot key's own pacer it is its own push-back.)
            let othersPushBack = reason?.limit == .keyRange && symbol == nil
            if othersPushBack {
                // What the key's answer did write (unprocessed items leave some) is the table's.
                state.bucket.correct(id: ticket.id, charged: ticket.charged, units: consumedUnits)
            } else if !pushedBack {
                state.bucket.correct(id: ticket.id, charged: ticket.charged, units: consumedUnits)
            }
            if writtenUnits > 0 && consumedUnits > 0 {
                state.unitScale = min(4, max(0.25, 0.8 * state.unitScale + 0.2 * consumedUnits / Double(writtenUnits)))
            }
            guard !othersPushBack else { return nil }
            let change = state.estimator.answered(
                at: now, sentAt: ticket.sentAt, sent: ticket.charged, consumed: consumedUnits, pushedBack: pushedBack,
                // Waited within the last second, the span a grant is measured over: a wait two
                // seconds back, in the slow start, let a second of batches asleep in backoff
                // measure 15 units/s on a table granting 80 (the demo held at it for a minute).
                limit: reason?.limit, rateLimited: now - state.lastWait < 1, unansweredSince: unansweredSince)
            return change.map { event(rate: $0.rate, reason: $0.reason, estimator: state.estimator) }
        }
        if let change { onChange(change) }
    }

    /// Changes the operator's cap (live, from the console); the rate never exceeds the new ceiling.
    public func setCap(_ cap: Cap) {
        let now = clock.now()
        let change = state.withLock { state in
            state.estimator.setCap(cap, now: now).map { event(rate: $0.rate, reason: $0.reason, estimator: state.estimator) }
        }
        if let change { onChange(change) }
    }

    /// New announced capacity from a re-describe of the table.
    public func setCapacity(_ capacity: TableCapacity) {
        let now = clock.now()
        let change = state.withLock { state in
            state.estimator.setCapacity(capacity, now: now).map {
                event(rate: $0.rate, reason: $0.reason, estimator: state.estimator)
            }
        }
        if let change { onChange(change) }
    }

    /// Other runs write this table too: `count` met so far (see ``CapacityEstimator/sharedWith(otherRuns:now:)``).
    public func sharedWith(otherRuns count: Int) {
        let now = clock.now()
        let change = state.withLock { state in
            state.estimator.sharedWith(otherRuns: count, now: now).map {
                event(rate: $0.rate, reason: $0.reason, estimator: state.estimator)
            }
        }
        if let change { onChange(change) }
    }

    /// Whether a throttle since the last call suggested the announced capacity changed.
    func takeDescribeRequest() -> Bool {
        state.withLock { state in
            defer { state.estimator.describeRequested = false }
            return state.estimator.describeRequested
        }
    }

    private func event(rate: Double, reason: RateChange.Reason, estimator: CapacityEstimator) -> RateChange {
        RateChange(table: table, symbol: symbol, unitsPerSecond: rate, reason: reason,
                   estimatedLimit: estimator.estimate, ceiling: estimator.ceiling)
    }
}
