/// `DescribeTable`: a table's keys, billing, capacity and size.
public struct DescribeTableInput: Sendable, DynamoDBOperation {
    public typealias Output = TableDescriptionOutput
    static let name = "DescribeTable"

    public var tableName: String
    public init(tableName: String) { self.tableName = tableName }

    var tableNames: [String] { [tableName] }

    func writeBody(to writer: inout JSONWriter) throws {
        writer.object { $0.member("TableName", string: tableName) }
    }
}

/// `DeleteTable`: removes a table and all its items.
public struct DeleteTableInput: Sendable, DynamoDBOperation {
    public typealias Output = TableDescriptionOutput
    static let name = "DeleteTable"

    public var tableName: String
    public init(tableName: String) { self.tableName = tableName }

    var tableNames: [String] { [tableName] }

    func writeBody(to writer: inout JSONWriter) throws {
        writer.object { $0.member("TableName", string: tableName) }
    }
}

/// `CreateTable`: a new table with its key schema and billing mode.
public struct CreateTableInput: Sendable, DynamoDBOperation {
    public typealias Output = TableDescriptionOutput
    static let name = "CreateTable"

    public var tableName: String
    public var keySchema: [KeySchemaElement]
    public var attributeDefinitions: [AttributeDefinition]
    public var billingMode: BillingMode
    /// Required when `billingMode` is `.provisioned`.
    public var provisionedThroughput: ProvisionedThroughput?
    /// An on-demand table's maximum request units.
    public var onDemandThroughput: OnDemandThroughput?

    public init(tableName: String, keySchema: [KeySchemaElement], attributeDefinitions: [AttributeDefinition],
                billingMode: BillingMode, provisionedThroughput: ProvisionedThroughput? = nil,
                onDemandThroughput: OnDemandThroughput? = nil) {
        self.tableName = tableName
        self.keySchema = keySchema
        self.attributeDefinitions = attributeDefinitions
        self.billingMode = billingMode
        self.provisionedThroughput = provisionedThroughput
        self.onDemandThroughput = onDemandThroughput
    }

    var tableNames: [String] { [tableName] }

    func writeBody(to writer: inout JSONWriter) throws {
        writer.object { writer in
            writer.member("TableName", string: tableName)
            writer.member("KeySchema") { writer in
                writer.array { writer in
                    for element in keySchema {
                        writer.object {
                            $0.member("AttributeName", string: element.attributeName)
                            $0.member("KeyType", string: element.keyType.rawValue)
                        }
                    }
                }
            }
            writer.member("AttributeDefinitions") { writer in
                writer.array { writer in
                    for definition in attributeDefinitions {
                        writer.object {
                            $0.member("AttributeName", string: definition.attributeName)
                            $0.member("AttributeType", string: definition.attributeType.rawValue)
                        }
                    }
                }
            }
            writer.member("BillingMode", string: billingMode.rawValue)
            if let throughput = provisionedThroughput {
                writer.member("ProvisionedThroughput") { writer in
                    writer.object {
                        $0.member("ReadCapacityUnits", int: throughput.readCapacityUnits)
                        $0.member("WriteCapacityUnits", int: throughput.writeCapacityUnits)
                    }
                }
            }
            if let onDemand = onDemandThroughput {
                writer.member("OnDemandThroughput") { writer in
                    writer.object {
                        $0.member("MaxReadRequestUnits", int: onDemand.maxReadRequestUnits)
                        $0.member("MaxWriteRequestUnits", int: onDemand.maxWriteRequestUnits)
                    }
                }
            }
        }
    }
}

/// The table description that `DescribeTable`, `CreateTable` and `DeleteTable` answer with.
public struct TableDescriptionOutput: Sendable, Decodable {
    public var table: TableDescription

    private enum CodingKeys: String, CodingKey { case table = "Table", tableDescription = "TableDescription" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        table = try container.decodeIfPresent(TableDescription.self, forKey: .table)
            ?? container.decode(TableDescription.self, forKey: .tableDescription)
    }
}

/// `ListTables`: table names, a page at a time.
public struct ListTablesInput: Sendable, DynamoDBOperation {
    public typealias Output = ListTablesOutput
    static let name = "ListTables"

    public var exclusiveStartTableName: String?
    public var limit: Int?

    public init(exclusiveStartTableName: String? = nil, limit: Int? = nil) {
        self.exclusiveStartTableName = exclusiveStartTableName
        self.limit = limit
    }

    var tableNames: [String] { [] }

    func writeBody(to writer: inout JSONWriter) throws {
        writer.object {
            $0.member("ExclusiveStartTableName", string: exclusiveStartTableName)
            $0.member("Limit", int: limit)
        }
    }
}

/// One page of table names.
public struct ListTablesOutput: Sendable, Decodable {
    public var tableNames: [String]
    public var lastEvaluatedTableName: String?

    private enum CodingKeys: String, CodingKey {
        case tableNames = "TableNames", lastEvaluatedTableName = "LastEvaluatedTableName"
    }
}
