import PollenDynamoDB
import Synchronization

/// Paces the partition keys DynamoDB calls hot, each on its own, so that one hot key slows only
/// itself and never the rest of its table.
///
/// A key is hot when DynamoDB throttles it with `KeyRangeThroughputExceeded`, or, since
/// `UnprocessedItems` carry no reason, when its requests alone are pushed back while the
/// table's other keys go through (three push-backs of the key within two seconds, none of the
/// others, which answered at least three times). A hot key gets a ``WriteRateController`` of its
/// own that starts just under what the key was granted (its accepted units are kept for a couple
/// of seconds) and probes from there; its batches wait on it before they wait on the table's,
/// and its push-backs are its own, not the table's. A key's pacer goes when its asset is done.
final class HotKeyPacers: Sendable {
    /// How one answer is to be read.
    struct Verdict {
        /// The key's own pacer, if the key is hot.
        var pacer: WriteRateController?
        /// Whether the push-back (if any) is the key's, not the table's.
        var keyLevel: Bool
    }

    private struct Key: Hashable {
        var table: PollenTable
        var symbol: String
    }

    private struct Activity {
        var accepted: [(at: Double, units: Double)] = []
        var pacer: WriteRateController?
    }

    private struct State {
        var keys: [Key: Activity] = [:]
        /// Each table's answers of the last two seconds.
        var answers: [PollenTable: [(at: Double, symbol: String, pushedBack: Bool)]] = [:]
    }

    private let clock: any EngineClock
    private let tuning: WriteRateController.Tuning
    private let onChange: @Sendable (RateChange) -> Void
    private let state = Mutex(State())

    init(clock: any EngineClock, tuning: WriteRateController.Tuning = .init(),
         onChange: @escaping @Sendable (RateChange) -> Void) {
        self.clock = clock
        self.tuning = tuning
        self.onChange = onChange
    }

    /// The pacer of a key found hot, if it has been.
    func pacer(table: PollenTable, symbol: String) -> WriteRateController? {
        state.withLock { $0.keys[Key(table: table, symbol: symbol)]?.pacer }
    }

    /// Records one answer for a key and says whose its push-back is; a key found hot here gets its pacer.
    func record(table: PollenTable, symbol: String, consumedUnits: Double, pushedBack: Bool,
                limit: ThrottlingReason.Limit?) -> Verdict {
        let now = clock.now()
        let (verdict, created) = state.withLock { state -> (Verdict, Bool) in
            let key = Key(table: table, symbol: symbol)
            var activity = state.keys[key] ?? Activity()
            if consumedUnits > 0 { activity.accepted.append((now, consumedUnits)) }
            while let oldest = activity.accepted.first, oldest.at <= now - 2 { activity.accepted.removeFirst() }
            var answers = state.answers[table] ?? []
            answers.append((now, symbol, pushedBack))
            while let oldest = answers.first, oldest.at <= now - 2 { answers.removeFirst() }
            state.answers[table] = answers

            var keyLevel = false
            if pushedBack {
                switch limit {
                case .keyRange?:
                    keyLevel = true
                case nil:
                    if activity.pacer != nil {
                        keyLevel = true
                    } else {
                        let mine = answers.filter { $0.symbol == symbol && $0.pushedBack }.count
                        let others = answers.filter { $0.symbol != symbol }
                        keyLevel = mine >= 3 && others.count >= 3 && !others.contains { $0.pushedBack }
                    }
                default:
                    break
                }
            }
            var created = false
            if keyLevel && activity.pacer == nil {
                let recent = activity.accepted.reduce(0) { $0 + ($1.at > now - 1 ? $1.units : 0) }
                activity.pacer = WriteRateController(table: table, symbol: symbol, throttledAt: recent, tuning: tuning,
                                                     clock: clock, onChange: onChange)
                created = true
            }
            state.keys[key] = activity
            return (Verdict(pacer: activity.pacer, keyLevel: keyLevel), created)
        }
        if created, let pacer = verdict.pacer { onChange(pacer.current(reason: .pushedBack)) }
        return verdict
    }

    /// Forgets a symbol's keys (its asset is done).
    func forget(symbol: String) {
        state.withLock { state in
            for key in state.keys.keys where key.symbol == symbol { state.keys[key] = nil }
        }
    }
}
