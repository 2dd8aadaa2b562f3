import Foundation
import PollenAWS
import PollenDynamoDB
import PollenEngine
import PollenHTTP
import Synchronization

/// A DynamoDB stand-in for engine tests, behind a ``ScriptedTransport``: answers
/// `DescribeTable` from a table list, `BatchWriteItem` by writing everything (or what `answer`
/// says: unprocessed keys, an error), and `GetItem`/`UpdateItem` on the `assets` table from an
/// in-memory set of asset rows (honouring the conditions pollen uses). Every call is recorded.
public final class ScriptedDynamoDB: Sendable {
    /// How `DescribeTable` describes a table.
    public enum TableMode: Sendable {
        case provisioned(wcu: Int)
        case onDemand
        /// On demand with `OnDemandThroughput.MaxWriteRequestUnits`.
        case onDemandMax(wcu: Int)
        /// `ResourceNotFoundException`.
        case missing
    }

    /// What to answer to one call.
    public enum Answer: Sendable {
        /// What a healthy DynamoDB answers.
        case normal
        /// `BatchWriteItem` only: these item keys come back in `UnprocessedItems`, the rest is written.
        case unprocessed(Set<String>)
        /// An error body `{"__type": "...#code", "message": ...}` with `status`.
        case error(code: String, message: String = "scripted error", status: Int = 400)
        /// A throttling error as DynamoDB answers it now: `ThrottlingException` with
        /// `throttlingReasons` (on-demand) or `ProvisionedThroughputExceededException` with
        /// `ThrottlingReasons`.
        case throttled(reasons: [String], onDemand: Bool = true)
    }

    /// One call as the script sees it.
    public struct Call: Sendable {
        /// `BatchWriteItem`, `GetItem`, ... (without the `DynamoDB_20120810.` prefix).
        public var operation: String
        public var table: String
        /// 0-based count of earlier calls of this operation on this table.
        public var index: Int
        /// `BatchWriteItem`: the keys (`reportKey`, else `symbol`) of the items put, in request order.
        public var keys: [String]
        /// `BatchWriteItem`: the symbol (partition key) of the first item put.
        public var symbol: String?
    }

    /// One `BatchWriteItem` request.
    public struct BatchWrite: Sendable {
        public var table: String
        public var items: [Item]
        public var keys: [String]
    }

    /// One `UpdateItem` request.
    public struct Update: Sendable {
        public var table: String
        public var key: Item
        public var updateExpression: String
        public var conditionExpression: String?
        public var values: Item
    }

    /// One `GetItem` request.
    public struct Get: Sendable {
        public var table: String
        public var key: Item
        public var consistentRead: Bool
    }

    private struct State {
        var counts: [String: Int] = [:]
        var calls: [Call] = []
        var batchWrites: [BatchWrite] = []
        var updates: [Update] = []
        var gets: [Get] = []
        /// Items written, by table, symbol and key.
        var items: [String: [String: [String: Item]]] = [:]
        var assetRows: [String: Item]
        var modes: [String: TableMode] = [:]
    }

    public let assetsTable: String
    private let defaultMode: TableMode
    private let answer: @Sendable (Call) -> Answer
    private let state: Mutex<State>
    public let transport: ScriptedTransport

    /// - Parameters:
    ///   - tables: how `DescribeTable` describes each table by name; others are `defaultMode`.
    ///   - assets: rows of the assets table by symbol (a row with only `symbol` if no attributes).
    ///   - answer: the answer to each call; `.normal` when it returns that.
    public init(tables: [String: TableMode] = [:], defaultMode: TableMode = .onDemand, assetsTable: String = "assets",
                assets: [String: Item] = [:], answer: @escaping @Sendable (Call) -> Answer = { _ in .normal }) {
        self.defaultMode = defaultMode
        self.assetsTable = assetsTable
        self.answer = answer
        var rows: [String: Item] = [:]
        for (symbol, row) in assets { rows[symbol] = row.merging(["symbol": .s(symbol)]) { $1 } }
        state = Mutex(State(assetRows: rows, modes: tables))
        let holder = Responder()
        transport = ScriptedTransport { request, _ in try holder.respond(request) }
        holder.database = self
    }

    /// Registers `symbols` with rows holding only their key.
    public convenience init(tables: [String: TableMode] = [:], defaultMode: TableMode = .onDemand,
                            registered symbols: [String], answer: @escaping @Sendable (Call) -> Answer = { _ in .normal }) {
        self.init(tables: tables, defaultMode: defaultMode,
                  assets: Dictionary(uniqueKeysWithValues: symbols.map { ($0, [:]) }), answer: answer)
    }

    /// A client on this stand-in, with dummy credentials.
    public func client() -> DynamoDBClient {
        let settings = AWSSettings(credentials: AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "test-secret"),
                                   region: "us-east-1", endpoint: URL(string: "http://127.0.0.1:8000/")!)
        return DynamoDBClient(settings: settings, transport: transport, now: { Date(timeIntervalSince1970: 1_767_225_600) })
    }

    public var calls: [Call] { state.withLock { $0.calls } }
    public var batchWrites: [BatchWrite] { state.withLock { $0.batchWrites } }
    public var updates: [Update] { state.withLock { $0.updates } }
    public var gets: [Get] { state.withLock { $0.gets } }

    /// The `BatchWriteItem` requests to `table`, in order.
    public func batchWrites(to table: String) -> [BatchWrite] { batchWrites.filter { $0.table == table } }

    /// The items of `symbol` written to `table`, by key (`reportKey`, else `symbol`).
    public func items(in table: String, of symbol: String) -> [String: Item] {
        state.withLock { $0.items[table]?[symbol] ?? [:] }
    }

    /// How many distinct items (by primary key) were written to `table`.
    public func itemCount(in table: String) -> Int {
        state.withLock { $0.items[table]?.values.reduce(0) { $0 + $1.count } ?? 0 }
    }

    /// Changes how `DescribeTable` describes `table` from now on (an `UpdateTable`, auto scaling).
    public func setMode(_ mode: TableMode, for table: String) {
        state.withLock { $0.modes[table] = mode }
    }

    /// The asset row of `symbol` as it is now.
    public func assetRow(_ symbol: String) -> Item? { state.withLock { $0.assetRows[symbol] } }

    /// Changes an asset row as another writer would (another run's mark).
    public func changeAssetRow(_ symbol: String, _ change: (inout Item) -> Void) {
        state.withLock { state in
            var row = state.assetRows[symbol] ?? ["symbol": .s(symbol)]
            change(&row)
            state.assetRows[symbol] = row
        }
    }

    /// The key pollen names items by: `reportKey`, else `symbol`.
    public static func key(of item: Item) -> String {
        item["reportKey"]?.stringValue ?? item["symbol"]?.stringValue ?? ""
    }

    // MARK: - Answering

    private final class Responder: @unchecked Sendable {
        // Set once in init, before any request can arrive.
        weak var database: ScriptedDynamoDB?

        func respond(_ request: HTTPRequest) throws -> HTTPResponse {
            guard let database else { throw HTTPTransportError.other("database released") }
            return try database.respond(request)
        }
    }

    private struct TableNameBody: Decodable { var TableName: String }
    private struct BatchBody: Decodable { var RequestItems: [String: [WriteRequest]] }
    private struct GetBody: Decodable {
        var TableName: String
        var Key: Item
        var ConsistentRead: Bool?
    }
    private struct UpdateBody: Decodable {
        var TableName: String
        var Key: Item
        var UpdateExpression: String
        var ConditionExpression: String?
        var ExpressionAttributeValues: Item?
    }

    private func respond(_ request: HTTPRequest) throws -> HTTPResponse {
        let target = request.headers["x-amz-target"] ?? ""
        let operation = target.replacingOccurrences(of: "DynamoDB_20120810.", with: "")
        let decoder = JSONDecoder()
        switch operation {
        case "DescribeTable":
            let table = try decoder.decode(TableNameBody.self, from: request.body).TableName
            if case .error(let code, let message, let status) = register(operation, table: table, keys: []) {
                return Self.error(code, message, status)
            }
            return describe(table)
        case "BatchWriteItem":
            let body = try decoder.decode(BatchBody.self, from: request.body)
            let raw = try JSONSerialization.jsonObject(with: request.body) as? [String: Any]
            let rawItems = raw?["RequestItems"] as? [String: [Any]] ?? [:]
            var unprocessed: [String: [Any]] = [:]
            var consumed: [[String: Any]] = []
            for (table, requests) in body.RequestItems {
                let items = requests.compactMap { request -> Item? in
                    if case .put(let item) = request { return item }
                    return nil
                }
                let keys = items.map(Self.key(of:))
                let answer = register(operation, table: table, keys: keys, symbol: items.first?["symbol"]?.stringValue)
                state.withLock { $0.batchWrites.append(BatchWrite(table: table, items: items, keys: keys)) }
                var leftOver: Set<String> = []
                switch answer {
                case .error(let code, let message, let status):
                    return Self.error(code, message, status)
                case .throttled(let reasons, let onDemand):
                    return Self.throttled(reasons: reasons, onDemand: onDemand, table: table)
                case .unprocessed(let keys):
                    leftOver = keys
                case .normal:
                    break
                }
                var units = 0
                for (index, item) in items.enumerated() {
                    let key = keys[index]
                    if leftOver.contains(key) {
                        if let rawRequest = rawItems[table]?[index] { unprocessed[table, default: []].append(rawRequest) }
                    } else {
                        units += ItemSize.writeUnits(bytes: ItemSize.of(item))
                        let symbol = item["symbol"]?.stringValue ?? ""
                        state.withLock { $0.items[table, default: [:]][symbol, default: [:]][key] = item }
                    }
                }
                consumed.append(["TableName": table, "CapacityUnits": Double(units)])
            }
            return Self.ok(["UnprocessedItems": unprocessed, "ConsumedCapacity": consumed])
        case "GetItem":
            let body = try decoder.decode(GetBody.self, from: request.body)
            let answer = register(operation, table: body.TableName, keys: [])
            state.withLock { $0.gets.append(Get(table: body.TableName, key: body.Key, consistentRead: body.ConsistentRead ?? false)) }
            if case .error(let code, let message, let status) = answer { return Self.error(code, message, status) }
            guard body.TableName == assetsTable, let symbol = body.Key["symbol"]?.stringValue,
                  let row = assetRow(symbol) else { return Self.ok([:]) }
            return Self.ok(["Item": Self.json(row)])
        case "UpdateItem":
            let body = try decoder.decode(UpdateBody.self, from: request.body)
            let answer = register(operation, table: body.TableName, keys: [])
            let values = body.ExpressionAttributeValues ?? [:]
            state.withLock {
                $0.updates.append(Update(table: body.TableName, key: body.Key, updateExpression: body.UpdateExpression,
                                         conditionExpression: body.ConditionExpression, values: values))
            }
            if case .error(let code, let message, let status) = answer { return Self.error(code, message, status) }
            return update(body)
        default:
            _ = register(operation, table: "", keys: [])
            return Self.ok([:])
        }
    }

    private func register(_ operation: String, table: String, keys: [String], symbol: String? = nil) -> Answer {
        let call = state.withLock { state -> Call in
            let counter = operation + "/" + table
            let call = Call(operation: operation, table: table, index: state.counts[counter, default: 0], keys: keys,
                            symbol: symbol)
            state.counts[counter, default: 0] += 1
            state.calls.append(call)
            return call
        }
        return answer(call)
    }

    private func describe(_ table: String) -> HTTPResponse {
        let schema: [[String: String]] = table == assetsTable
            ? [["AttributeName": "symbol", "KeyType": "HASH"]]
            : [["AttributeName": "symbol", "KeyType": "HASH"], ["AttributeName": "reportKey", "KeyType": "RANGE"]]
        var description: [String: Any] = ["TableName": table, "TableStatus": "ACTIVE", "KeySchema": schema, "ItemCount": 0]
        switch state.withLock({ $0.modes[table] }) ?? defaultMode {
        case .missing:
            return Self.error("ResourceNotFoundException", "Requested resource not found: Table: \(table) not found", 400)
        case .onDemand:
            description["BillingModeSummary"] = ["BillingMode": "PAY_PER_REQUEST"]
            description["ProvisionedThroughput"] = ["ReadCapacityUnits": 0, "WriteCapacityUnits": 0]
            description["WarmThroughput"] = ["ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"]
            description["OnDemandThroughput"] = ["MaxReadRequestUnits": -1, "MaxWriteRequestUnits": -1]
        case .onDemandMax(let wcu):
            description["BillingModeSummary"] = ["BillingMode": "PAY_PER_REQUEST"]
            description["ProvisionedThroughput"] = ["ReadCapacityUnits": 0, "WriteCapacityUnits": 0]
            description["WarmThroughput"] = ["ReadUnitsPerSecond": 12000, "WriteUnitsPerSecond": 4000, "Status": "ACTIVE"]
            description["OnDemandThroughput"] = ["MaxReadRequestUnits": -1, "MaxWriteRequestUnits": wcu]
        case .provisioned(let wcu):
            description["BillingModeSummary"] = ["BillingMode": "PROVISIONED"]
            description["ProvisionedThroughput"] = ["ReadCapacityUnits": 5, "WriteCapacityUnits": wcu]
            description["WarmThroughput"] = ["ReadUnitsPerSecond": 5, "WriteUnitsPerSecond": wcu, "Status": "ACTIVE"]
        }
        return Self.ok(["Table": description])
    }

    /// The subset of `UpdateItem` pollen uses: `SET a = :x, ...` under `attribute_exists(symbol)`,
    /// the table states read (`pollenationTables = :read` or `attribute_not_exists(...)`) and,
    /// optionally, `(attribute_not_exists(lastPollenationDate) OR lastPollenationDate < :now)`.
    private func update(_ body: UpdateBody) -> HTTPResponse {
        let values = body.ExpressionAttributeValues ?? [:]
        guard body.TableName == assetsTable, let symbol = body.Key["symbol"]?.stringValue else {
            return Self.ok([:])
        }
        let failed: Bool = state.withLock { state in
            let row = state.assetRows[symbol]
            let condition = body.ConditionExpression ?? ""
            if condition.contains("attribute_exists(symbol)") && row == nil { return true }
            // The marker's optimistic concurrency: the table states must be those it read.
            if condition.contains("attribute_not_exists(pollenationTables)") && row?["pollenationTables"] != nil { return true }
            if condition.contains("pollenationTables = :read") && row?["pollenationTables"] != values[":read"] { return true }
            if condition.contains("lastPollenationDate < :now"), let existing = row?["lastPollenationDate"]?.stringValue,
               let now = values[":now"]?.stringValue, !(existing < now) {
                return true
            }
            var updated = row ?? ["symbol": .s(symbol)]
            var expression = body.UpdateExpression
            if expression.hasPrefix("SET ") { expression.removeFirst(4) }
            for assignment in expression.components(separatedBy: ",") {
                let parts = assignment.components(separatedBy: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let value = values[parts[1]] else { continue }
                updated[parts[0]] = value
            }
            state.assetRows[symbol] = updated
            return false
        }
        if failed { return Self.error("ConditionalCheckFailedException", "The conditional request failed", 400) }
        return Self.ok([:])
    }

    // MARK: - Wire

    static func ok(_ object: [String: Any]) -> HTTPResponse {
        let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return HTTPResponse(status: 200, headers: HTTPHeaders(), body: body)
    }

    static func error(_ code: String, _ message: String, _ status: Int) -> HTTPResponse {
        let object: [String: Any] = ["__type": "com.amazonaws.dynamodb.v20120810#\(code)", "message": message]
        let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return HTTPResponse(status: status, headers: HTTPHeaders(), body: body)
    }

    static func throttled(reasons: [String], onDemand: Bool, table: String) -> HTTPResponse {
        let listed = reasons.map { ["reason": $0, "resource": "arn:aws:dynamodb:us-east-1:123456789012:table/\(table)"] }
        var object: [String: Any]
        if onDemand {
            object = ["__type": "com.amazon.coral.availability#ThrottlingException",
                      "message": "Throughput exceeds the current capacity of your table or index."]
            if !listed.isEmpty { object["throttlingReasons"] = listed }
        } else {
            object = ["__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                      "message": "The level of configured provisioned throughput for the table was exceeded."]
            if !listed.isEmpty { object["ThrottlingReasons"] = listed }
        }
        let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return HTTPResponse(status: 400, headers: HTTPHeaders(), body: body)
    }

    /// An item in DynamoDB JSON (as `JSONSerialization` objects).
    static func json(_ item: Item) -> [String: Any] {
        item.mapValues(json(value:))
    }

    static func json(value: AttributeValue) -> Any {
        switch value {
        case .s(let text): return ["S": text]
        case .n(let number): return ["N": number]
        case .b(let data): return ["B": data.base64EncodedString()]
        case .bool(let flag): return ["BOOL": flag]
        case .null: return ["NULL": true]
        case .m(let map): return ["M": map.mapValues(json(value:))]
        case .l(let list): return ["L": list.map(json(value:))]
        case .ss(let texts): return ["SS": texts]
        case .ns(let numbers): return ["NS": numbers]
        case .bs(let blobs): return ["BS": blobs.map { $0.base64EncodedString() }]
        }
    }
}
