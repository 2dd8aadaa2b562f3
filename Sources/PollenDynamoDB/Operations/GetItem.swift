/// `GetItem`: reads one item by its key.
public struct GetItemInput: Sendable, DynamoDBOperation {
    public typealias Output = GetItemOutput
    static let name = "GetItem"

    public var tableName: String
    public var key: Item
    /// Read the latest committed value rather than an eventually consistent one.
    public var consistentRead: Bool
    public var projectionExpression: String?
    public var expressionAttributeNames: [String: String]?
    public var returnConsumedCapacity: ReturnConsumedCapacity?

    public init(tableName: String, key: Item, consistentRead: Bool = false, projectionExpression: String? = nil,
                expressionAttributeNames: [String: String]? = nil, returnConsumedCapacity: ReturnConsumedCapacity? = nil) {
        self.tableName = tableName
        self.key = key
        self.consistentRead = consistentRead
        self.projectionExpression = projectionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.returnConsumedCapacity = returnConsumedCapacity
    }

    var tableNames: [String] { [tableName] }

    func writeBody(to writer: inout JSONWriter) throws {
        try writer.object { writer in
            writer.member("TableName", string: tableName)
            try writer.member("Key", item: key)
            writer.member("ConsistentRead", bool: consistentRead)
            writer.member("ProjectionExpression", string: projectionExpression)
            writer.member("ExpressionAttributeNames", names: expressionAttributeNames)
            writer.member("ReturnConsumedCapacity", returnConsumedCapacity: returnConsumedCapacity)
        }
    }
}

/// What `GetItem` answers: the item, or `nil` when no item has that key.
public struct GetItemOutput: Sendable, Decodable {
    public var item: Item?
    public var consumedCapacity: ConsumedCapacity?

    private enum CodingKeys: String, CodingKey { case item = "Item", consumedCapacity = "ConsumedCapacity" }
}
