/// Sums of a quantity over the last seconds, in one-second buckets.
///
/// Rates (items/s, units/s, throttled %) are read from these over a short window, and the
/// console's capacity graph from the per-second history.
public struct SlidingWindow: Sendable {
    private var buckets: [Double]
    private var newestSecond: Int = 0

    /// Keeps `seconds` of history.
    public init(seconds: Int) {
        buckets = Array(repeating: 0, count: max(1, seconds))
    }

    public var capacity: Int { buckets.count }

    /// Adds `value` at time `time` (seconds on the engine clock).
    public mutating func add(_ value: Double, at time: Double) {
        let second = Int(time.rounded(.down))
        advance(to: second)
        guard second > newestSecond - buckets.count else { return }  // too old to keep
        buckets[index(second)] += value
    }

    /// The sum over the last `seconds` whole seconds before `time` (the current, partial
    /// second excluded so that rates do not dip at each second's start).
    public func sum(lastSeconds seconds: Int, at time: Double) -> Double {
        let now = Int(time.rounded(.down))
        let span = min(seconds, buckets.count - 1)
        guard span > 0 else { return 0 }
        var total = 0.0
        for second in (now - span)..<now where second > newestSecond - buckets.count && second <= newestSecond {
            total += buckets[index(second)]
        }
        return total
    }

    /// The per-second rate over the last `seconds` seconds before `time`.
    public func rate(lastSeconds seconds: Int, at time: Double) -> Double {
        let span = min(seconds, buckets.count - 1, max(1, Int(time.rounded(.down))))
        return span > 0 ? sum(lastSeconds: span, at: time) / Double(span) : 0
    }

    /// The values of the last `count` whole seconds before `time`, oldest first.
    public func history(count: Int, at time: Double) -> [Double] {
        let now = Int(time.rounded(.down))
        return ((now - count)..<now).map { second in
            second > newestSecond - buckets.count && second <= newestSecond ? buckets[index(second)] : 0
        }
    }

    private func index(_ second: Int) -> Int {
        ((second % buckets.count) + buckets.count) % buckets.count
    }

    private mutating func advance(to second: Int) {
        guard second > newestSecond else { return }
        let steps = min(second - newestSecond, buckets.count)
        for offset in 1...steps { buckets[index(newestSecond + offset)] = 0 }
        newestSecond = second
    }
}
