/// `PutItem`: writes one whole item, optionally under a condition.
public struct PutItemInput: Sendable, DynamoDBOperation {
    public typealias Output = ItemWriteOutput
    static let name = "PutItem"

    public var tableName: String
    public var item: Item
    public var conditionExpression: String?
    public var expressionAttributeNames: [String: String]?
    public var expressionAttributeValues: Item?
    public var returnValues: ReturnValues?
    public var returnConsumedCapacity: ReturnConsumedCapacity?

    public init(tableName: String, item: Item, conditionExpression: String? = nil,
                expressionAttributeNames: [String: String]? = nil, expressionAttributeValues: Item? = nil,
                returnValues: ReturnValues? = nil, returnConsumedCapacity: ReturnConsumedCapacity? = nil) {
        self.tableName = tableName
        self.item = item
        self.conditionExpression = conditionExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.returnValues = returnValues
        self.returnConsumedCapacity = returnConsumedCapacity
    }

    var tableNames: [String] { [tableName] }

    func writeBody(to writer: inout JSONWriter) throws {
        try writer.object { writer in
            writer.member("TableName", string: tableName)
            try writer.member("Item", item: item)
            writer.member("ConditionExpression", string: conditionExpression)
            writer.member("ExpressionAttributeNames", names: expressionAttributeNames)
            if let values = expressionAttributeValues, !values.isEmpty {
                try writer.member("ExpressionAttributeValues", item: values)
            }
            writer.member("ReturnValues", string: returnValues?.rawValue)
            writer.member("ReturnConsumedCapacity", returnConsumedCapacity: returnConsumedCapacity)
        }
    }
}
