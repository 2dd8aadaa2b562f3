/// The (asset, table) pairs a run writes, asset by asset in order.
public struct WorkPlan: Sendable, Equatable {
    /// One asset and the tables to write for it.
    public struct Unit: Sendable, Equatable {
        public var symbol: String
        public var tables: [PollenTable]

        public init(symbol: String, tables: [PollenTable]) {
            self.symbol = symbol
            self.tables = tables.sorted()
        }
    }

    public var units: [Unit]

    public init(units: [Unit]) {
        self.units = units
    }

    /// Every symbol with the same tables.
    public init(symbols: [String], tables: [PollenTable]) {
        units = symbols.map { Unit(symbol: $0, tables: tables) }
    }

    /// The plan as the journal keeps it.
    public var byAsset: [String: [PollenTable]] {
        Dictionary(units.map { ($0.symbol, $0.tables) }, uniquingKeysWith: { first, _ in first })
    }

    /// The tables written for at least one asset.
    public var tables: [PollenTable] {
        Array(Set(units.flatMap(\.tables))).sorted()
    }
}
