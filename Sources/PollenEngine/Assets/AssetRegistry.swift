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
    }

    /// What registering one symbol did.
    public enum Registration: Sendable, Equatable {
        case created, alreadyRegistered
    }

    let client: DynamoDBClient
    let tableName: String

    public init(client: DynamoDBClient, tablePrefix: String) {
        self.client = client
        self.tableName = PollenTable.assets.name(prefix: tablePrefix)
    }

    /// Creates the row of `symbol` unless it exists (an existing row is never changed).
    public func register(_ symbol: String, at date: Date) async throws -> Registration {
        do {
            _ = try await client.putItem(PutItemInput(
                tableName: tableName, item: ["symbol": .s(symbol), "registeredAt": .s(Timestamp.iso8601(date))],
                conditionExpression: "attribute_not_exists(symbol)"))
            return .created
        } catch let error as DynamoDBError where error.code == "ConditionalCheckFailedException" {
            return .alreadyRegistered
        }
    }

    /// Every row, sorted by symbol (a paginated scan reading only the attributes listed).
    public func list() async throws -> [Row] {
        let scan = ScanInput(tableName: tableName, options: ReadOptions(
            projectionExpression: "symbol, pollenationStatus, lastPollenationDate, lastPollenationAttempt, pollenationTables",
            consistentRead: true))
        var rows: [Row] = []
        for try await page in client.scanPages(scan) {
            for item in page.items {
                guard let symbol = item["symbol"]?.stringValue else { continue }
                rows.append(Row(symbol: symbol, status: item["pollenationStatus"]?.stringValue,
                                lastPollenationDate: item["lastPollenationDate"]?.stringValue,
                                lastPollenationAttempt: item["lastPollenationAttempt"]?.stringValue,
                                tables: (item["pollenationTables"]?.mapValue ?? [:]).compactMapValues(\.stringValue)))
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
}
