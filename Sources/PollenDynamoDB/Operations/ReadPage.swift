/// One page of a `Query` or `Scan`.
public struct ReadPage: Sendable, Decodable {
    public var items: [Item]
    public var count: Int
    public var scannedCount: Int
    /// Where the next page starts; `nil` on the last page.
    public var lastEvaluatedKey: Item?
    public var consumedCapacity: ConsumedCapacity?

    private enum CodingKeys: String, CodingKey {
        case items = "Items", count = "Count", scannedCount = "ScannedCount"
        case lastEvaluatedKey = "LastEvaluatedKey", consumedCapacity = "ConsumedCapacity"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        items = try container.decodeIfPresent([Item].self, forKey: .items) ?? []
        count = try container.decodeIfPresent(Int.self, forKey: .count) ?? items.count
        scannedCount = try container.decodeIfPresent(Int.self, forKey: .scannedCount) ?? count
        lastEvaluatedKey = try container.decodeIfPresent(Item.self, forKey: .lastEvaluatedKey)
        consumedCapacity = try container.decodeIfPresent(ConsumedCapacity.self, forKey: .consumedCapacity)
    }
}

/// The parts `Query` and `Scan` share: projection, filter, page size and where to start.
public struct ReadOptions: Sendable {
    public var projectionExpression: String?
    public var filterExpression: String?
    public var expressionAttributeNames: [String: String]?
    public var expressionAttributeValues: Item?
    public var limit: Int?
    public var consistentRead: Bool?
    /// `COUNT` returns counts without items.
    public var select: String?
    public var exclusiveStartKey: Item?
    public var returnConsumedCapacity: ReturnConsumedCapacity?

    public init(projectionExpression: String? = nil, filterExpression: String? = nil,
                expressionAttributeNames: [String: String]? = nil, expressionAttributeValues: Item? = nil,
                limit: Int? = nil, consistentRead: Bool? = nil, select: String? = nil,
                exclusiveStartKey: Item? = nil, returnConsumedCapacity: ReturnConsumedCapacity? = nil) {
        self.projectionExpression = projectionExpression
        self.filterExpression = filterExpression
        self.expressionAttributeNames = expressionAttributeNames
        self.expressionAttributeValues = expressionAttributeValues
        self.limit = limit
        self.consistentRead = consistentRead
        self.select = select
        self.exclusiveStartKey = exclusiveStartKey
        self.returnConsumedCapacity = returnConsumedCapacity
    }

    func write(to writer: inout JSONWriter, extraValues: Item? = nil) throws {
        writer.member("ProjectionExpression", string: projectionExpression)
        writer.member("FilterExpression", string: filterExpression)
        writer.member("ExpressionAttributeNames", names: expressionAttributeNames)
        let values = (expressionAttributeValues ?? [:]).merging(extraValues ?? [:]) { first, _ in first }
        if !values.isEmpty { try writer.member("ExpressionAttributeValues", item: values) }
        writer.member("Limit", int: limit)
        writer.member("ConsistentRead", bool: consistentRead)
        writer.member("Select", string: select)
        try writer.member("ExclusiveStartKey", item: exclusiveStartKey)
        writer.member("ReturnConsumedCapacity", returnConsumedCapacity: returnConsumedCapacity)
    }
}

/// A read that comes in pages, each naming where the next one starts.
protocol PagedRead: DynamoDBOperation where Output == ReadPage {
    var options: ReadOptions { get set }
}
