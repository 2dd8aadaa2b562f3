/// Spaces writes out at a rate: a token bucket that may go into debt, plus a one-second window.
///
/// The bucket refills at the rate and holds `burstSeconds` of it; a request that finds it out
/// of debt takes its units even if that leaves it in debt. On top, no one-second window ever
/// holds more sent units than the window's limit, the share of the table the sender knows it
/// has (a request larger than that goes in parts, a single item larger than it alone):
/// whichever way the server counts capacity (per second, or a continuous bucket of at least a
/// second), a sender that keeps both rules never exceeds its share. Pure: the caller passes the
/// time and keeps it under its lock.
struct PacingBucket: Sendable {
    /// A request's entry in the window, so that its units can be corrected once DynamoDB says
    /// what it really consumed.
    struct Sent: Sendable, Equatable {
        var id: UInt64
        var at: Double
        var units: Double
    }

    var burstSeconds: Double
    /// Units available now; negative while paying off a request larger than the bucket.
    private(set) var tokens = 0.0
    private var lastRefill = 0.0
    /// The requests sent in the last second, oldest first.
    private var recent: [Sent] = []
    private var recentUnits = 0.0
    private var nextID: UInt64 = 0

    init(burstSeconds: Double) {
        self.burstSeconds = burstSeconds
    }

    /// What a request may send now.
    struct Grant: Sendable, Equatable {
        var id: UInt64
        /// How many of the request's leading items go now (the rest waits for the next grant).
        var items: Int
        var units: Double
    }

    /// Takes the units of as many of `items` (each item's units, in order) as `rate` allows now,
    /// with at most `windowLimit` (at least `rate`) units in any one-second window. Otherwise
    /// says how long to wait.
    ///
    /// The bucket keeps the average at `rate`; the window may hold a little more than `rate`
    /// (up to `windowLimit`, the share of the table Pollen knows it has), so that a rate that is
    /// not a whole number of batches per second is still reached. Where whole requests cannot
    /// reach the rate (the window holds too few of them: a small table, or a limit just under a
    /// multiple of a batch), a request the window has room for part of (at least `partialShare`
    /// of its units) sends its leading items that fit, so that no share of the rate is lost to
    /// the size of a batch; elsewhere requests go whole, so they are not split for nothing.
    mutating func take(_ items: [Double], rate: Double, windowLimit: Double, now: Double,
                       partialShare: Double = 0.2) -> Result<Grant, Wait> {
        let units = items.reduce(0, +)
        let limit = max(rate, windowLimit)
        tokens = min(rate * burstSeconds, tokens + rate * max(0, now - lastRefill))
        lastRefill = now
        // A debt within rounding error is paid: a wait shorter than the clock's resolution
        // would never move it.
        if tokens < -1e-6 { return .failure(Wait(seconds: max(0.001, -tokens / rate))) }
        expire(before: now - 1)
        var count = items.count
        var taken = units
        if recentUnits + units > limit + 1e-6 {
            // Whole requests of this size fill at most this much of a window; one larger than
            // the window goes in parts (DynamoDB would leave what exceeds a second unprocessed).
            let whole = (limit / units).rounded(.down) * units
            let room = limit - recentUnits
            count = 0
            taken = 0
            while count < items.count, taken + items[count] <= room + 1e-6 {
                taken += items[count]
                count += 1
            }
            if recent.isEmpty && count == 0 {
                count = 1  // an item larger than the window goes alone
                taken = items[0]
            }
            let minimum = recent.isEmpty ? 0 : max(items.first ?? 0, min(units, limit) * partialShare)
            let splitting = recent.isEmpty || whole < rate * 0.99
            guard count > 0, splitting, taken >= minimum - 1e-6 else {
                let wanted = min(units, max(minimum, items.first ?? 0))
                return .failure(Wait(seconds: max(0.001, windowWait(units: wanted, limit: limit, now: now))))
            }
        }
        tokens -= taken
        nextID += 1
        recent.append(Sent(id: nextID, at: now, units: taken))
        recentUnits += taken
        return .success(Grant(id: nextID, items: count, units: taken))
    }

    /// Replaces what request `id` was `charged` with `units` (DynamoDB's count): in the bucket, and
    /// in the window if the request is still in it.
    mutating func correct(id: UInt64, charged: Double, units: Double) {
        tokens -= units - charged
        guard let index = recent.firstIndex(where: { $0.id == id }) else { return }
        recentUnits += units - recent[index].units
        recent[index].units = units
    }

    private mutating func expire(before time: Double) {
        while let oldest = recent.first, oldest.at <= time {
            recent.removeFirst()
            recentUnits -= oldest.units
        }
        if recent.isEmpty { recentUnits = 0 }  // no drift from repeated subtraction
    }

    /// How long until `units` more fit in the one-second window under `limit`.
    private func windowWait(units: Double, limit: Double, now: Double) -> Double {
        var remaining = recentUnits
        for sent in recent {
            remaining -= sent.units
            if remaining + units <= limit + 1e-6 { return sent.at + 1 - now }
        }
        return (recent.last?.at ?? now) + 1 - now
    }

    /// How long a request must wait.
    struct Wait: Error, Equatable {
        var seconds: Double
    }
}
