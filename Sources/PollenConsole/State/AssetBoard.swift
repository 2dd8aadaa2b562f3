/// Every asset the console has seen, in the order they first started, with a running count
/// per phase (so the panels never scan every asset to count them).
public struct AssetBoard: Sendable {
    public private(set) var rows: [AssetRow] = []
    private var positions: [String: Int] = [:]
    private var phaseCounts: [AssetPhase: Int] = [:]

    public init() {}

    public var count: Int { rows.count }

    public subscript(symbol: String) -> AssetRow? {
        positions[symbol].map { rows[$0] }
    }

    /// How many assets are in `phase`.
    public func count(_ phase: AssetPhase) -> Int {
        phaseCounts[phase] ?? 0
    }

    /// Changes the asset `symbol`, adding it (with `phase`) first if it is new.
    mutating func update(_ symbol: String, adding phase: AssetPhase, attempt: Int, _ change: (inout AssetRow) -> Void) {
        if let position = positions[symbol] {
            modify(at: position, change)
        } else {
            positions[symbol] = rows.count
            rows.append(AssetRow(symbol: symbol, phase: phase, attempt: attempt))
            phaseCounts[phase, default: 0] += 1
            modify(at: rows.count - 1, change)
        }
    }

    /// Changes every asset.
    mutating func updateAll(_ change: (inout AssetRow) -> Void) {
        for position in rows.indices { self.modify(at: position, change) }
    }

    private mutating func modify(at position: Int, _ change: (inout AssetRow) -> Void) {
        let before = rows[position].phase
        change(&rows[position])
        let after = rows[position].phase
        if before != after {
            phaseCounts[before, default: 0] -= 1
            phaseCounts[after, default: 0] += 1
        }
    }
}
