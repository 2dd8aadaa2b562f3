import Foundation

/// A key attribute of a table: its name and whether it is the partition (`HASH`) or sort
/// (`RANGE`) key.
public struct KeySchemaElement: Sendable, Equatable, Codable {
    public enum KeyType: String, Sendable, Codable { case hash = "HASH", range = "RANGE" }
    public var attributeName: String
    public var keyType: KeyType

    public init(attributeName: String, keyType: KeyType) {
        self.attributeName = attributeName
        self.keyType = keyType
    }

    private enum CodingKeys: String, CodingKey { case attributeName = "AttributeName", keyType = "KeyType" }
}

/// The type of a key attribute.
public struct AttributeDefinition: Sendable, Equatable, Codable {
    public enum ScalarType: String, Sendable, Codable { case string = "S", number = "N", binary = "B" }
    public var attributeName: String
    public var attributeType: ScalarType

    public init(attributeName: String, attributeType: ScalarType) {
        self.attributeName = attributeName
        self.attributeType = attributeType
    }

    private enum CodingKeys: String, CodingKey { case attributeName = "AttributeName", attributeType = "AttributeType" }
}

/// How a table pays for throughput.
public enum BillingMode: String, Sendable, Codable {
    case provisioned = "PROVISIONED", payPerRequest = "PAY_PER_REQUEST"
}

/// Read and write capacity units of a provisioned table.
public struct ProvisionedThroughput: Sendable, Equatable, Codable {
    public var readCapacityUnits: Int
    public var writeCapacityUnits: Int

    public init(readCapacityUnits: Int, writeCapacityUnits: Int) {
        self.readCapacityUnits = readCapacityUnits
        self.writeCapacityUnits = writeCapacityUnits
    }

    private enum CodingKeys: String, CodingKey {
        case readCapacityUnits = "ReadCapacityUnits", writeCapacityUnits = "WriteCapacityUnits"
    }
}

/// An on-demand table's maximum request units (`OnDemandThroughput`); `-1` means no maximum.
public struct OnDemandThroughput: Sendable, Equatable, Codable {
    public var maxReadRequestUnits: Int?
    public var maxWriteRequestUnits: Int?

    public init(maxReadRequestUnits: Int? = nil, maxWriteRequestUnits: Int? = nil) {
        self.maxReadRequestUnits = maxReadRequestUnits
        self.maxWriteRequestUnits = maxWriteRequestUnits
    }

    private enum CodingKeys: String, CodingKey {
        case maxReadRequestUnits = "MaxReadRequestUnits", maxWriteRequestUnits = "MaxWriteRequestUnits"
    }
}

/// The read and write units per second a table can take at once (`WarmThroughput`): 4,000
/// write units for a new on-demand table, more once it has been busier.
public struct WarmThroughput: Sendable, Equatable, Codable {
    public var readUnitsPerSecond: Int?
    public var writeUnitsPerSecond: Int?

    public init(readUnitsPerSecond: Int? = nil, writeUnitsPerSecond: Int? = nil) {
        self.readUnitsPerSecond = readUnitsPerSecond
        self.writeUnitsPerSecond = writeUnitsPerSecond
    }

    private enum CodingKeys: String, CodingKey {
        case readUnitsPerSecond = "ReadUnitsPerSecond", writeUnitsPerSecond = "WriteUnitsPerSecond"
    }
}

/// What `DescribeTable` (and `CreateTable`, `DeleteTable`) say about a table.
public struct TableDescription: Sendable, Equatable, Decodable {
    public var tableName: String
    public var tableStatus: String?
    public var keySchema: [KeySchemaElement]
    public var attributeDefinitions: [AttributeDefinition]
    public var billingMode: BillingMode
    /// Provisioned capacity; zero units for on-demand tables.
    public var provisionedThroughput: ProvisionedThroughput?
    public var itemCount: Int?
    public var tableSizeBytes: Int?
    public var tableArn: String?
    public var onDemandThroughput: OnDemandThroughput?
    public var warmThroughput: WarmThroughput?

    private enum CodingKeys: String, CodingKey {
        case tableName = "TableName", tableStatus = "TableStatus", keySchema = "KeySchema"
        case attributeDefinitions = "AttributeDefinitions", billingModeSummary = "BillingModeSummary"
        case provisionedThroughput = "ProvisionedThroughput", itemCount = "ItemCount"
        case tableSizeBytes = "TableSizeBytes", tableArn = "TableArn"
        case onDemandThroughput = "OnDemandThroughput", warmThroughput = "WarmThroughput"
    }

    private struct BillingModeSummary: Decodable { var BillingMode: BillingMode? }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tableName = try container.decode(String.self, forKey: .tableName)
        tableStatus = try container.decodeIfPresent(String.self, forKey: .tableStatus)
        keySchema = try container.decodeIfPresent([KeySchemaElement].self, forKey: .keySchema) ?? []
        attributeDefinitions = try container.decodeIfPresent([AttributeDefinition].self, forKey: .attributeDefinitions) ?? []
        provisionedThroughput = try container.decodeIfPresent(ProvisionedThroughput.self, forKey: .provisionedThroughput)
        itemCount = try container.decodeIfPresent(Int.self, forKey: .itemCount)
        tableSizeBytes = try container.decodeIfPresent(Int.self, forKey: .tableSizeBytes)
        tableArn = try container.decodeIfPresent(String.self, forKey: .tableArn)
        onDemandThroughput = try container.decodeIfPresent(OnDemandThroughput.self, forKey: .onDemandThroughput)
        warmThroughput = try container.decodeIfPresent(WarmThroughput.self, forKey: .warmThroughput)
        // A table without a billing summary was created provisioned (as DynamoDB documents).
        let summary = try container.decodeIfPresent(BillingModeSummary.self, forKey: .billingModeSummary)
        billingMode = summary?.BillingMode ?? .provisioned
    }

    /// The partition key attribute name.
    public var partitionKey: String? { keySchema.first { $0.keyType == .hash }?.attributeName }
    /// The sort key attribute name, if the table has one.
    public var sortKey: String? { keySchema.first { $0.keyType == .range }?.attributeName }
    /// Write capacity units per second, or `nil` for on-demand tables.
    public var provisionedWriteCapacity: Int? {
        billingMode == .provisioned ? provisionedThroughput?.writeCapacityUnits : nil
    }
    /// An on-demand table's maximum write request units per second, or `nil` when it has none
    /// (absent, or `-1`).
    public var maxOnDemandWriteUnits: Int? {
        guard billingMode == .payPerRequest, let units = onDemandThroughput?.maxWriteRequestUnits, units >= 1 else {
            return nil
        }
        return units
    }
    /// The write units per second the table can take at once, when DynamoDB says.
    public var warmWriteUnits: Int? { warmThroughput?.writeUnitsPerSecond.flatMap { $0 >= 1 ? $0 : nil } }
}
