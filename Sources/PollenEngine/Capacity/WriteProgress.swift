import Synchronization

/// When each table, and each hot key, last had items written: a throttled batch gives up only
/// when its table (or its hot key) has written nothing for a while, never because it was
/// throttled a few times while the table makes progress.
final class WriteProgress: Sendable {
    private struct Key: Hashable {
        var table: PollenTable
        var symbol: String?
    }

    private let lastWrite = Mutex<[Key: Double]>([:])

    /// Items of `symbol`'s `table` were written at `time`.
    func wrote(table: PollenTable, symbol: String, at time: Double) {
        lastWrite.withLock { last in
            last[Key(table: table, symbol: nil)] = time
            last[Key(table: table, symbol: symbol)] = time
        }
    }

    /// Seconds since `table` (or, with `symbol`, that key of it) last wrote anything, counted
    /// from `since` at the most (when the waiting began).
    func secondsWithoutWrites(table: PollenTable, symbol: String? = nil, since: Double, at now: Double) -> Double {
        let last = lastWrite.withLock { $0[Key(table: table, symbol: symbol)] } ?? since
        return now - max(last, since)
    }

    /// Forgets a symbol's keys (its asset is done).
    func forget(symbol: String) {
        lastWrite.withLock { last in
            for key in last.keys where key.symbol == symbol { last[key] = nil }
        }
    }
}
