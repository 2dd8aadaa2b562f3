import PollenDynamoDB

/// The six tables of CONTRACT section 1, with their keys.
public enum PollenTable: String, Sendable, CaseIterable, Codable, Comparable {
    case assets
    case companyOverview
    case earnings
    case cashFlow
    case balanceSheet
    case incomeStatement

    /// The five tables a backfill writes, in the order the source functions are listed.
    public static let dataTables: [PollenTable] = [.companyOverview, .earnings, .cashFlow, .balanceSheet, .incomeStatement]

    public static let partitionKey = "symbol"
    public static let sortKey = "reportKey"

    /// Whether items are keyed by report (`reportKey`) as well as by symbol.
    public var hasSortKey: Bool { self != .assets && self != .companyOverview }

    public var keySchema: [KeySchemaElement] {
        var schema = [KeySchemaElement(attributeName: Self.partitionKey, keyType: .hash)]
        if hasSortKey { schema.append(KeySchemaElement(attributeName: Self.sortKey, keyType: .range)) }
        return schema
    }

    public var attributeDefinitions: [AttributeDefinition] {
        keySchema.map { AttributeDefinition(attributeName: $0.attributeName, attributeType: .string) }
    }

    /// The key attribute names, partition key first.
    public var keyAttributes: [String] { keySchema.map(\.attributeName) }

    /// The physical table name under `prefix` (`--table-prefix`).
    public func name(prefix: String) -> String { prefix + rawValue }

    public static func < (lhs: PollenTable, rhs: PollenTable) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
