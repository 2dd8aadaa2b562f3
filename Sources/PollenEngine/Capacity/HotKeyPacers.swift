import PollenDynamoDB
import Synchronization

/// Paces the partition keys DynamoDB calls hot, each on its own, so that one hot key slows only
/// itself and never the rest of its table.
///
/// A key is hot when DynamoDB throttles it with `KeyRangeThroughputExceeded`, or, since
/// `UnprocessedItems` carry no reason, when its requests alone are pushed back while the
/// table's other keys go through (three push-backs of the key within two seconds, most of its
/// answers, none of the others', which answered at least three times). From its second such
/// push-back a key's refusals are its own and no longer cut its table's rate; a first one alone
/// is the table's, as a table at the edge of its second refuses whichever key comes last. A hot key gets a ``WriteRateController`` of its
/// own that starts at the most a partition takes and measures the key's grant over its first
/// second of push-back; its batches wait on it before they wait on the table's, and its
/// push-backs are its own, not the table's. A key's pacer goes when its asset is done.
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

    private struct State {
        var pacers: [Key: WriteRateController] = [:]
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
        state.withLock { $0.pacers[Key(table: table, symbol: symbol)] }
    }

    /// Records one answer for a key and says whose its push-back is; a key found hot here gets its pacer.
    func record(table: PollenTable, symbol: String, pushedBack: Bool, limit: ThrottlingReason.Limit?) -> Verdict {
        let now = clock.now()
        let (verdict, created) = state.withLock { state -> (Verdict, Bool) in
            let key = Key(table: table, symbol: symbol)
            var pacer = state.pacers[key]
            var answers = state.answers[table] ?? []
            answers.append((now, symbol, pushedBack))
            while let oldest = answers.first, oldest.at <= now - 2 { answers.removeFirst() }
            state.answers[table] = answers

            // Whose push-back this is: a key-range throttle is the key's; so is one without a
            // reason (unprocessed items say none) while the table's other keys go through. The
            // key is hot, and gets a pacer, at its first key-range throttle or its third such
            // push-back within two seconds.
            var keyLevel = false
            var hot = false
            if pushedBack {
                switch limit {
                case .keyRange?:
                    keyLevel = true
                    hot = true
                case nil:
                    let others = answers.filter { $0.symbol != symbol }
                    let othersGoThrough = others.count >= 3 && !others.contains { $0.pushedBack }
                    let mine = answers.filter { $0.symbol == symbol }
                    let minePushedBack = mine.filter(\.pushedBack).count
                    // One push-back alone says nothing: at the edge of a table's second, whichever
                    // key's batch comes last is refused while the others went through. A key whose
                    // answers are pushed back again, most of them, is the one being refused.
                    let keysOwn = othersGoThrough && minePushedBack >= 2 && 2 * minePushedBack >= mine.count
                    keyLevel = pacer != nil || keysOwn
                    hot = keysOwn && minePushedBack >= 3
                default:
                    break
                }
            }
            var created = false
            if hot && pacer == nil {
                pacer = WriteRateController(table: table, symbol: symbol, tuning: tuning, clock: clock, onChange: onChange)
                state.pacers[key] = pacer
                created = true
            }
            return (Verdict(pacer: pacer, keyLevel: keyLevel), created)
        }
        if created, let pacer = verdict.pacer { onChange(pacer.current(reason: .pushedBack)) }
        return verdict
    }

    /// Forgets a symbol's keys (its asset is done).
    func forget(symbol: String) {
        state.withLock { state in
            for key in state.pacers.keys where key.symbol == symbol { state.pacers[key] = nil }
        }
    }
}
