/// What DynamoDB says an operation cost, per table (`ReturnConsumedCapacity`).
public struct ConsumedCapacity: Sendable, Equatable, Decodable {
    public var tableName: String?
    public var capacityUnits: Double?
    public var writeCapacityUnits: Double?
    public var readCapacityUnits: Double?
    /// The table's own share, present with `INDEXES`.
    public var tableCapacityUnits: Double?

    public init(tableName: String?, capacityUnits: Double?, writeCapacityUnits: Double? = nil,
                readCapacityUnits: Double? = nil, tableCapacityUnits: Double? = nil) {
        self.tableName = tableName
        self.capacityUnits = capacityUnits
        self.writeCapacityUnits = writeCapacityUnits
        self.readCapacityUnits = readCapacityUnits
        self.tableCapacityUnits = tableCapacityUnits
    }

    private struct TableShare: Decodable {
        var CapacityUnits: Double?
    }

    private enum CodingKeys: String, CodingKey {
        case tableName = "TableName", capacityUnits = "CapacityUnits", writeCapacityUnits = "WriteCapacityUnits"
        case readCapacityUnits = "ReadCapacityUnits", table = "Table"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tableName = try container.decodeIfPresent(String.self, forKey: .tableName)
        capacityUnits = try container.decodeIfPresent(Double.self, forKey: .capacityUnits)
        writeCapacityUnits = try container.decodeIfPresent(Double.self, forKey: .writeCapacityUnits)
        readCapacityUnits = try container.decodeIfPresent(Double.self, forKey: .readCapacityUnits)
        tableCapacityUnits = try container.decodeIfPresent(TableShare.self, forKey: .table)?.CapacityUnits
    }
}

/// Whether DynamoDB should report consumed capacity, and in how much detail.
public enum ReturnConsumedCapacity: String, Sendable {
    case none = "NONE", total = "TOTAL", indexes = "INDEXES"
}

/// Which item attributes a write returns.
public enum ReturnValues: String, Sendable {
    case none = "NONE", allOld = "ALL_OLD", updatedOld = "UPDATED_OLD", allNew = "ALL_NEW", updatedNew = "UPDATED_NEW"
}
