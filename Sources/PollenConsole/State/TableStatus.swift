/// What a table is doing right now, in one word.
public enum TableStatus: Equatable, Sendable {
    case waiting, writing, throttled, backingOff, idle, done, failed, unavailable

    /// The word shown in the tables panel.
    public var label: String {
        switch self {
        case .waiting: return "waiting"
        case .writing: return "writing"
        case .throttled: return "THROTTLED"
        case .backingOff: return "backoff"
        case .idle: return "idle"
        case .done: return "done"
        case .failed: return "FAILED"
        case .unavailable: return "MISSING"
        }
    }
}
