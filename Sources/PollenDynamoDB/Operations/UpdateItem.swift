/// `UpdateItem`: changes attributes of one item, optionally under a condition.
public struct UpdateItemInput: Sendable, DynamoDBOperation {
    public typealias Output = ItemWriteOutput
    static let name = "UpdateItem"

    public var tableName: String
    public var key: Item
    public var updateExpression: String
    public var conditionExpression: String?
    public var expressionAttributeNames: [String: String]?
    public var expressionAttributeValues: Item?
    public var returnValues: ReturnValues?
    /// `ALL_OLD`: a refused condition answers the item as it was (``DynamoDBError/item``).
    public var returnValuesOnConditionCheckFailure: ReturnValues?
    public var returnConsumedCapacity: ReturnConsumedCapacity?

    public init(tableName: String, key: Item, updateExpression: String, conditionExpression: String? = nil,
                expressionAttributeNames: [String: String]? = nil, expressionAttributeValues: Item? = nil,
                returnValues: ReturnValues? = nil, returnValuesOnConditionCheckFailure: ReturnValues? = nil,
                returnConsumedCapacity: ReturnConsumedCapacity? = nil) {
        self.tableName = tableName
        self.key = key
        self.updateExpression = updateExpression
        self.conditionExpression = conditionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.returnValues = returnValues
        self.returnValuesOnConditionCheckFailure = returnValuesOnConditionCheckFailure
        self.returnConsumedCapacity = returnConsumedCapacity
    }

    var tableNames: [String] { [tableName] }

    func writeBody(to writer: inout JSONWriter) throws {
        try writer.object { writer in
            writer.member("TableName", string: tableName)
            try writer.member("Key", item: key)
            writer.member("UpdateExpression", string: updateExpression)
            writer.member("ConditionExpression", string: conditionExpression)
            writer.member("ExpressionAttributeNames", names: expressionAttributeNames)
            if let values = expressionAttributeValues, !values.isEmpty {
                try writer.member("ExpressionAttributeValues", item: values)
            }
            writer.member("ReturnValues", string: returnValues?.rawValue)
            writer.member("ReturnValuesOnConditionCheckFailure", string: returnValuesOnConditionCheckFailure?.rawValue)
            writer.member("ReturnConsumedCapacity", returnConsumedCapacity: returnConsumedCapacity)
        }
    }
}

/// What a single-item write (`UpdateItem`, `PutItem`, `DeleteItem`) answers.
public struct ItemWriteOutput: Sendable, Decodable {
    /// The attributes asked for with `ReturnValues`.
    public var attributes: Item?
    public var consumedCapacity: ConsumedCapacity?

    private enum CodingKeys: String, CodingKey { case attributes = "Attributes", consumedCapacity = "ConsumedCapacity" }
}
