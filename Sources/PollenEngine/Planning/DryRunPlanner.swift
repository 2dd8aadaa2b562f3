import Foundation
import PollenDynamoDB

/// `--dry-run`: validates every selected asset and plans the writes without sending any:
/// items, batches and write units per table, and how long they take at each table's capacity.
public struct DryRunPlanner: Sendable {
    /// The plan for one table.
    public struct TablePlan: Sendable, Codable, Equatable {
        public var table: PollenTable
        public var name: String
        public var items: Int = 0
        public var batches: Int = 0
        public var writeUnits: Int = 0
        public var rejected: Int = 0
        public var duplicates: Int = 0
        public var failedPairs: Int = 0
        public var noData: Int = 0
        /// Write units per second Pollen would use (capacity × cap), `nil` for on-demand.
        public var unitsPerSecond: Double?
        /// `writeUnits / unitsPerSecond`; `nil` for on-demand tables.
        public var estimatedSeconds: Double?
        public var unavailable: String?
    }

    /// The whole plan.
    public struct Plan: Sendable, Codable {
        public var assets: Int
        public var tables: [TablePlan]
        /// Problems found, one line each (asset, table, reason).
        public var problems: [String]
        /// The slowest table's time: tables are written in parallel.
        public var estimatedSeconds: Double?
    }

    let client: DynamoDBClient
    let source: any AssetSource
    let plan: WorkPlan
    let tablePrefix: String
    let cap: WriteRateController.Cap

    public init(client: DynamoDBClient, source: any AssetSource, plan: WorkPlan, tablePrefix: String,
                cap: WriteRateController.Cap) {
        self.client = client
        self.source = source
        self.plan = plan
        self.tablePrefix = tablePrefix
        self.cap = cap
    }

    public func makePlan() async throws -> Plan {
        var tables: [PollenTable: TablePlan] = [:]
        for table in plan.tables {
            let name = table.name(prefix: tablePrefix)
            var entry = TablePlan(table: table, name: name)
            do {
                let description = try await client.describeTable(DescribeTableInput(tableName: name))
                // Only a limit that holds for the whole run plans a time: on-demand tables learn theirs.
                let capacity = TableCapacity(description)
                if capacity.announcedWCU != nil || cap.maxUnitsPerSecond != nil {
                    entry.unitsPerSecond = CapacityEstimator(capacity: capacity, cap: cap, now: 0).ceiling
                }
            } catch let error as DynamoDBError where error.code == "ResourceNotFoundException" {
                entry.unavailable = "table \(name) does not exist"
            }
            tables[table] = entry
        }
        var problems: [String] = []
        let loader = AssetLoader(source: source, runID: "dry-run")
        var counter: UInt64 = 0
        for unit in plan.units {
            for loaded in await loader.load(symbol: unit.symbol, tables: unit.tables, at: Date()) {
                var entry = tables[loaded.table]!
                entry.rejected += max(loaded.rejectedCount, loaded.rejected.count)
                entry.duplicates += loaded.duplicates.count
                for rejection in loaded.rejected {
                    problems.append("\(unit.symbol) \(loaded.table.rawValue) \(rejection.record): \(rejection.reason)")
                }
                switch loaded.content {
                case .noData:
                    entry.noData += 1
                case .failed(let reason), .notFetched(let reason):
                    entry.failedPairs += 1
                    problems.append("\(unit.symbol) \(loaded.table.rawValue): \(reason)")
                case .items(let items):
                    entry.items += items.count
                    entry.writeUnits += items.reduce(0) { $0 + $1.writeUnits }
                    entry.batches += WriteBatch.split(items, symbol: unit.symbol, table: loaded.table) {
                        counter += 1
                        return counter
                    }.count
                }
                tables[loaded.table] = entry
            }
        }
        for (table, entry) in tables {
            if let rate = entry.unitsPerSecond, rate > 0 { tables[table]?.estimatedSeconds = Double(entry.writeUnits) / rate }
            if let unavailable = entry.unavailable { problems.append("\(entry.name): \(unavailable)") }
        }
        let ordered = tables.values.sorted { $0.table < $1.table }
        return Plan(assets: plan.units.count, tables: ordered, problems: problems,
                    estimatedSeconds: ordered.compactMap(\.estimatedSeconds).max())
    }
}
