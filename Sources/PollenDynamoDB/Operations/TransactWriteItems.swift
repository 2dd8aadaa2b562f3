/// `TransactWriteItems`: up to 100 writes that all succeed or all fail.
public struct TransactWriteItemsInput: Sendable, DynamoDBOperation {
    public typealias Output = TransactWriteItemsOutput
    static let name = "TransactWriteItems"

    /// One action of a transaction.
    public enum Action: Sendable {
        case put(tableName: String, item: Item, condition: Condition? = nil)
        case update(tableName: String, key: Item, updateExpression: String, condition: Condition? = nil)
        case delete(tableName: String, key: Item, condition: Condition? = nil)
        case conditionCheck(tableName: String, key: Item, condition: Condition)

        var tableName: String {
            switch self {
            case .put(let table, _, _), .update(let table, _, _, _), .delete(let table, _, _),
                 .conditionCheck(let table, _, _):
                return table
            }
        }
    }

    /// A condition expression with the names and values it refers to.
    public struct Condition: Sendable {
        public var expression: String
        public var names: [String: String]?
        public var values: Item?

        public init(_ expression: String, names: [String: String]? = nil, values: Item? = nil) {
            self.expression = expression
            self.names = names
            self.values = values
        }
    }

    public var actions: [Action]
    /// Makes a retried transaction idempotent for ten minutes.
    public var clientRequestToken: String?
    public var returnConsumedCapacity: ReturnConsumedCapacity?

    public init(actions: [Action], clientRequestToken: String? = nil, returnConsumedCapacity: ReturnConsumedCapacity? = nil) {
        self.actions = actions
        self.clientRequestToken = clientRequestToken
        self.returnConsumedCapacity = returnConsumedCapacity
    }

    var tableNames: [String] { Array(Set(actions.map(\.tableName))).sorted() }

    func writeBody(to writer: inout JSONWriter) throws {
        try writer.object { writer in
            try writer.member("TransactItems") { writer in
                try writer.array { writer in
                    for action in actions { try Self.write(action, to: &writer) }
                }
            }
            writer.member("ClientRequestToken", string: clientRequestToken)
            writer.member("ReturnConsumedCapacity", returnConsumedCapacity: returnConsumedCapacity)
        }
    }

    private static func write(_ action: Action, to writer: inout JSONWriter) throws {
        func body(_ writer: inout JSONWriter, table: String, condition: Condition?,
                  _ fields: (inout JSONWriter) throws -> Void) throws {
            try writer.object { writer in
                writer.member("TableName", string: table)
                try fields(&writer)
                if let condition {
                    writer.member("ConditionExpression", string: condition.expression)
                    writer.member("ExpressionAttributeNames", names: condition.names)
                    if let values = condition.values, !values.isEmpty {
                        try writer.member("ExpressionAttributeValues", item: values)
                    }
                }
            }
        }
        try writer.object { writer in
            switch action {
            case .put(let table, let item, let condition):
                try writer.member("Put") { try body(&$0, table: table, condition: condition) { try $0.member("Item", item: item) } }
            case .update(let table, let key, let expression, let condition):
                try writer.member("Update") {
                    try body(&$0, table: table, condition: condition) {
                        try $0.member("Key", item: key)
                        $0.member("UpdateExpression", string: expression)
                    }
                }
            case .delete(let table, let key, let condition):
                try writer.member("Delete") { try body(&$0, table: table, condition: condition) { try $0.member("Key", item: key) } }
            case .conditionCheck(let table, let key, let condition):
                try writer.member("ConditionCheck") {
                    try body(&$0, table: table, condition: condition) { try $0.member("Key", item: key) }
                }
            }
        }
    }
}

/// What `TransactWriteItems` answers on success.
public struct TransactWriteItemsOutput: Sendable, Decodable {
    public var consumedCapacity: [ConsumedCapacity]

    private enum CodingKeys: String, CodingKey { case consumedCapacity = "ConsumedCapacity" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        consumedCapacity = try container.decodeIfPresent([ConsumedCapacity].self, forKey: .consumedCapacity) ?? []
    }
}
