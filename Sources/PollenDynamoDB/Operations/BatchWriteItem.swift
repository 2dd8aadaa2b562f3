/// `BatchWriteItem`: up to 25 puts or deletes across tables in one request.
public struct BatchWriteItemInput: Sendable, DynamoDBOperation {
    public typealias Output = BatchWriteItemOutput
    static let name = "BatchWriteItem"

    /// Write requests by table name.
    public var requestItems: [String: [WriteRequest]]
    public var returnConsumedCapacity: ReturnConsumedCapacity?

    public init(requestItems: [String: [WriteRequest]], returnConsumedCapacity: ReturnConsumedCapacity? = .total) {
        self.requestItems = requestItems
        self.returnConsumedCapacity = returnConsumedCapacity
    }

    var tableNames: [String] { requestItems.keys.sorted() }

    func writeBody(to writer: inout JSONWriter) throws {
        try writer.object { writer in
            try writer.member("RequestItems") { writer in
                try writer.object { writer in
                    for (table, requests) in requestItems {
                        try writer.member(table) { writer in
                            try writer.array { writer in for request in requests { try request.write(to: &writer) } }
                        }
                    }
                }
            }
            writer.member("ReturnConsumedCapacity", returnConsumedCapacity: returnConsumedCapacity)
        }
    }
}

/// What `BatchWriteItem` answers: the requests DynamoDB did not process (to be sent again)
/// and the capacity the processed ones consumed.
public struct BatchWriteItemOutput: Sendable, Decodable {
    public var unprocessedItems: [String: [WriteRequest]]
    public var consumedCapacity: [ConsumedCapacity]

    public init(unprocessedItems: [String: [WriteRequest]] = [:], consumedCapacity: [ConsumedCapacity] = []) {
        self.unprocessedItems = unprocessedItems
        self.consumedCapacity = consumedCapacity
    }

    private enum CodingKeys: String, CodingKey {
        case unprocessedItems = "UnprocessedItems", consumedCapacity = "ConsumedCapacity"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        unprocessedItems = try container.decodeIfPresent([String: [WriteRequest]].self, forKey: .unprocessedItems) ?? [:]
        consumedCapacity = try container.decodeIfPresent([ConsumedCapacity].self, forKey: .consumedCapacity) ?? []
    }

    /// The number of requests left unprocessed, over all tables.
    public var unprocessedCount: Int { unprocessedItems.values.reduce(0) { $0 + $1.count } }
}
