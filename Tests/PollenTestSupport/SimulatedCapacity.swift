/// Two models of how DynamoDB grants write units, as the local DynamoDB implements them
/// (`scripts/pollen_local_dynamodb/capacity.py`), for simulations that run a rate controller
/// through minutes of virtual time in milliseconds: per-second windows of the server's clock, and
/// a continuously refilled bucket with burst capacity.
public struct SimulatedCapacity: Sendable {
    /// How the server counts.
    public enum Model: Sendable, CustomStringConvertible {
        /// Each second of the server's clock (offset by `phase` seconds from the client's) grants the limit.
        case perSecond(phase: Double)
        /// Units accrue continuously into a bucket holding `max(1, burstSeconds)` seconds of the limit.
        case continuous(burstSeconds: Double)

        public var description: String {
            switch self {
            case .perSecond(let phase): return "per-second (phase \(phase))"
            case .continuous(let burst): return "continuous (burst \(burst) s)"
            }
        }
    }

    public let model: Model
    private var second = Int.min
    private var allowance = 0.0
    private var tokens: Double?
    private var last = 0.0

    public init(model: Model) {
        self.model = model
    }

    /// Grants each of `items` (their units, in order) that fits at `now` under `limit` units/s, as
    /// the local DynamoDB does for a `BatchWriteItem`; returns how many were granted.
    public mutating func grant(_ items: [Double], limit: Double, at now: Double) -> Int {
        var granted = 0
        for units in items where take(units, limit: limit, at: now) { granted += 1 }
        return granted
    }

    private mutating func take(_ units: Double, limit: Double, at now: Double) -> Bool {
        switch model {
        case .perSecond(let phase):
            let current = Int((now + phase).rounded(.down))
            if current != second {
                // Debt carries over; unused units do not (no burst).
                allowance = min(limit, (second == Int.min ? limit : allowance + limit * Double(current - second)))
                second = current
            }
            guard units <= allowance + 1e-9 else { return false }
            allowance -= units
            return true
        case .continuous(let burstSeconds):
            let capacity = limit * max(1, burstSeconds)
            var level = tokens ?? limit
            level = min(capacity, level + limit * max(0, now - last))
            last = now
            defer { tokens = level }
            guard units <= level + 1e-9 else { return false }
            level -= units
            return true
        }
    }
}
