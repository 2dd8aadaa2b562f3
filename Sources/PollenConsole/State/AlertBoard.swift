import PollenEngine

/// The operating alerts: those active now, and the last few that cleared.
public struct AlertBoard: Sendable {
    /// An alert and when it was raised or cleared, in seconds since its run started.
    public struct Entry: Equatable, Sendable {
        public var alert: Alert
        public var at: Double
    }

    public static let clearedKept = 5

    public private(set) var active: [Entry] = []
    public private(set) var cleared: [Entry] = []

    public init() {}

    mutating func update(_ alert: Alert, at elapsed: Double) {
        active.removeAll { $0.alert.name == alert.name }
        if alert.active {
            active.append(Entry(alert: alert, at: elapsed))
        } else {
            cleared.insert(Entry(alert: alert, at: elapsed), at: 0)
            cleared = Array(cleared.prefix(Self.clearedKept))
        }
    }

    /// A new run starts without the previous run's alerts.
    mutating func reset() {
        active.removeAll()
        cleared.removeAll()
    }
}
