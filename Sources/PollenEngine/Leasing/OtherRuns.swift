import Synchronization

/// The other runs a run has met on its selection (by their leases), and the rows it met them
/// holding: every table's controller paces as one of `count + 1` runs (see
/// ``WriteRateController/sharedWith(otherRuns:)``).
///
/// Once this run's walk has reached every asset, any asset another run still works on is one
/// this run found it holding (a free one it would have taken itself). Reading those rows again
/// tells when each of the others is done, and its share of the tables free: a run squeezed to a
/// small share otherwise wrote its last assets alone at that share (1.19 x the ideal). A row
/// that cannot be read counts as still held: a wrong guess errs towards sharing. A run that is
/// done says so, in the leases the runs it met still hold (``tellDone(using:)``), which they read
/// at their marks: a run whose walk is held back behind its squeezed share learns it that way.
final class OtherRuns: Sendable {
    private struct State {
        /// Per run still counted, the rows it was met holding and not yet seen given up, oldest first.
        var rows: [String: [String]] = [:]
        /// Runs that said they are done: never counted again.
        var finished: Set<String> = []
        /// Every run ever counted, with the rows it was met holding, newest last.
        var everMet: [String: [String]] = [:]
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
            guard !state.finished.contains(runId) else { return }
            let isNew = state.rows[runId] == nil
            state.rows[runId, default: []].append(contentsOf: symbol.map { [$0] } ?? [])
            state.everMet[runId, default: []].append(contentsOf: symbol.map { [$0] } ?? [])
            if isNew { tell(state.rows.count) }
        }
    }

    /// `runIds` said they are done: no longer counted, nor ever again.
    func done(_ runIds: [String]) {
        state.withLock { state in
            let before = state.rows.count
            for runId in runIds {
                state.finished.insert(runId)
                state.rows[runId] = nil
            }
            if state.rows.count < before { tell(state.rows.count) }
        }
    }

    /// Tells each run ever met that this one is done, in the leases it still holds among the
    /// newest `readsAtOnce` rows it was met holding: it paces as one of fewer from the next note
    /// it reads (see ``read(_:)``).
    func tellDone(using leases: AssetLeases) async {
        let everMet = state.withLock { $0.everMet }
        await withTaskGroup(of: Void.self) { group in
            for (runId, rows) in everMet {
                for symbol in Set(rows.suffix(Self.readsAtOnce)) {
                    group.addTask { _ = await leases.noteDone(to: runId, in: symbol) }
                }
            }
        }
    }

    /// Counts the runs that noted, in a lease of this run's, that they were refused it, and drops
    /// those that noted they are done.
    func read(_ notes: [LeaseHolder.Note: [String]]) {
        for run in notes[.contender] ?? [] { met(run, holding: nil) }
        if let finished = notes[.done] { done(finished) }
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
