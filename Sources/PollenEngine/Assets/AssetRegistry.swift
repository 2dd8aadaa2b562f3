import Foundation
import PollenDynamoDB

/// The `assets` table as operators manage it: registering rows (the only way they are
/// created) and listing them with their pollenation state.
public struct AssetRegistry: Sendable {
    /// One asset row as listed.
    public struct Row: Sendable, Equatable, Codable {
        public var symbol: String
        public var status: String?
        public var lastPollenationDate: String?
        public var lastPollenationAttempt: String?
        public var tables: [String: String]
        /// The runs holding leases on the asset's tables (live or lapsed), by table.
        public var leases: [String: LeaseHolder] = [:]
    }

    /// A run that holds leases now, as the `assets` table shows it.
    public struct LeasingRun: Sendable, Equatable, Codable {
        public var runId: String
        public var host: String
        public var assets: [String]
        /// When it took its first lease still held (`YYYY-MM-DDTHH:MM:SSZ`).
        public var since: String?
        /// When its last lease runs out (epoch seconds, by its host's clock).
        public var expiresAt: Double
    }

    /// What registering one symbol did.
    public enum Registration: Sendable, Equatable {
        case created, alreadyRegistered
    }

    let client: DynamoDBClient
    let tableName: String
    let retrying: Retrying

    public init(client: DynamoDBClient, tablePrefix: String, retrying: Retrying = Retrying()) {
        self.init(client: client, tableName: PollenTable.assets.name(prefix: tablePrefix), retrying: retrying)
    }

    init(client: DynamoDBClient, tableName: String, retrying: Retrying) {
        self.client = client
        self.tableName = tableName
        self.retrying = retrying
    }

    /// Creates the row of `symbol` unless it exists (an existing row is never changed). A
    /// request that failed (HTTP 500, throttling) is sent again; if the first one had created
    /// the row after all, the second finds it registered.
    public func register(_ symbol: String, at date: Date) async throws -> Registration {
        let input = PutItemInput(
            tableName: tableName, item: ["symbol": .s(symbol), "registeredAt": .s(Timestamp.iso8601(date))],
            conditionExpression: "attribute_not_exists(symbol)")
        do {
            _ = try await retrying.run { try await client.putItem(input) }
            return .created
        } catch let error as DynamoDBError where error.code == "ConditionalCheckFailedException" {
            return .alreadyRegistered
        }
    }

    /// Every row, sorted by symbol (a paginated scan reading only the attributes listed).
    public func list() async throws -> [Row] {
        let scan = ScanInput(tableName: tableName, options: ReadOptions(
            projectionExpression: "symbol, pollenationStatus, lastPollenationDate, lastPollenationAttempt, pollenationTables, "
                + PollenTable.dataTables.map(LeaseHolder.attribute).joined(separator: ", "),
            consistentRead: true))
        var rows: [Row] = []
        let retrying = retrying
        for try await page in client.scanPages(scan).fetched(through: { try await retrying.run($0) }) {
            for item in page.items {
                guard let symbol = item["symbol"]?.stringValue else { continue }
                rows.append(Row(symbol: symbol, status: item["pollenationStatus"]?.stringValue,
                                lastPollenationDate: item["lastPollenationDate"]?.stringValue,
                                lastPollenationAttempt: item["lastPollenationAttempt"]?.stringValue,
                                tables: (item["pollenationTables"]?.mapValue ?? [:]).compactMapValues(\.stringValue),
                                leases: Dictionary(uniqueKeysWithValues: LeaseHolder.leases(in: item).map { ($0.key.rawValue, $0.value) })))
            }
        }
        return rows.sorted { $0.symbol < $1.symbol }
    }

    /// The rows whose `lastPollenationDate` is missing or older than `days` days before `now`.
    public func stale(days: Int, now: Date) async throws -> [Row] {
        let cutoff = Timestamp.iso8601(now.addingTimeInterval(-Double(days) * 86_400))
        return try await list().filter { row in
            guard let date = row.lastPollenationDate else { return true }
            return date < cutoff  // ISO-8601 UTC strings order as times do
        }
    }

    /// The runs holding leases now, with the assets each holds, by run id.
    public func leasingRuns() async throws -> [LeasingRun] {
        var runs: [String: LeasingRun] = [:]
        for row in try await list() {
            for lease in row.leases.values {
                var run = runs[lease.runId] ?? LeasingRun(runId: lease.runId, host: lease.host, assets: [], since: lease.since,
                                                          expiresAt: lease.expiresAt)
                if !run.assets.contains(row.symbol) { run.assets.append(row.symbol) }
                if let since = lease.since, run.since.map({ since < $0 }) ?? true { run.since = since }
                run.expiresAt = max(run.expiresAt, lease.expiresAt)
                runs[lease.runId] = run
            }
        }
        return runs.values.sorted { $0.runId < $1.runId }
    }

    /// Gives up every lease run `runId` holds (a run that died); returns the assets released.
    /// Each is released only if that run still holds it.
    public func releaseLeases(of runId: String) async throws -> [String] {
        var released: [String] = []
        for row in try await list() {
            for (table, lease) in row.leases.sorted(by: { $0.key < $1.key }) where lease.runId == runId {
                guard let pollenTable = PollenTable(rawValue: table) else { continue }
                do {
                    _ = try await retrying.run {
                        try await client.updateItem(UpdateItemInput(
                            tableName: tableName, key: ["symbol": .s(row.symbol)], updateExpression: "REMOVE #l",
                            conditionExpression: "#l.#run = :run",
                            expressionAttributeNames: ["#l": LeaseHolder.attribute(pollenTable), "#run": "runId"],
                            expressionAttributeValues: [":run": .s(runId)]))
                    }
                    if !released.contains(row.symbol) { released.append(row.symbol) }
                } catch let error as DynamoDBError where error.code == "ConditionalCheckFailedException" {
                    continue  // given up or taken over since the listing
                }
            }
        }
        return released
    }
}
