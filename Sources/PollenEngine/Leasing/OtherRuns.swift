import Synchronization

/// The other runs a run has met on its selection (by their leases), and the rows it met them
/// holding: every table's controller paces as one of `count + 1` runs (see
/// ``WriteRateController/sharedWith(otherRuns:)``).
///
/// Once this run's walk has reached every asset, any asset another run still works on is one
/// this run found it holding (a free one it would have taken itself). Reading those rows again
/// tells when each of the others is done, and its share of the tables free: a run squeezed to a
/// small share otherwise wrote its last assets alone at that share (1.19 x the ideal). A row
/// that cannot be read counts as still held: a wrong guess errs towards sharing.
final class OtherRuns: Sendable {
    private struct State {
        /// Per run still counted, the rows it was met holding and not yet seen given up, oldest first.
        var rows: [String: [String]] = [:]
    }

    private let state = Mutex(State())
    /// Told each new count, with the lock held so that the counts arrive in their order.
    private let tell: @Sendable (Int) -> Void
    /// Rows read at once when looking again.
    static let readsAtOnce = 8

    init(tell: @escaping @Sendable (Int) -> Void) {
        self.tell = tell
    }

    /// The other runs counted now.
    var count: Int { state.withLock { $0.rows.count } }

    /// Counts `runId`, met holding `symbol`'s row (`nil`: known only from a note it left in one
    /// of this run's; it counts until met holding a row and found done), and tells the new count
    /// when it grows.
    func met(_ runId: String, holding symbol: String?) {
        state.withLock { state in
            let isNew = state.rows[runId] == nil
            state.rows[runId, default: []].append(contentsOf: symbol.map { [$0] } ?? [])
            if isNew { tell(state.rows.count) }
        }
    }

    /// Reads again the rows each counted run was met holding, newest first, `readsAtOnce` at a
    /// time, until one still holds its lease; a run that holds none of them is done. Tells the
    /// new count when it falls.
    func lookForDone(using leases: AssetLeases) async {
        let snapshot = state.withLock { $0.rows }
        var released: [String: Set<String>] = [:]
        for (runId, rows) in snapshot where !rows.isEmpty {
            var pending = Array(rows.reversed())
            while !pending.isEmpty {
                let chunk = Array(pending.prefix(Self.readsAtOnce))
                pending.removeFirst(chunk.count)
                let held = await withTaskGroup(of: (String, Bool).self) { group in
                    for symbol in chunk {
                        group.addTask { (symbol, await leases.holdsLease(of: runId, in: symbol)) }
                    }
                    var held = false
                    for await (symbol, holds) in group {
                        if holds { held = true } else { released[runId, default: []].insert(symbol) }
                    }
                    return held
                }
                if held { break }
            }
        }
        state.withLock { state in
            let before = state.rows.count
            for (runId, symbols) in released {
                // Rows met since the snapshot stay (a run met again is still at work).
                state.rows[runId]?.removeAll { symbols.contains($0) }
                if state.rows[runId]?.isEmpty == true { state.rows[runId] = nil }
            }
            if state.rows.count < before { tell(state.rows.count) }
        }
    }
}
