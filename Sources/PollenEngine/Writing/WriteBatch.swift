/// Up to 25 items of one (asset, table) pair, sent in one `BatchWriteItem` request.
///
/// One table per request, so that one table's fault cannot fail another table's batch.
public struct WriteBatch: Sendable {
    public static let maxItems = 25
    /// DynamoDB's request size limit.
    public static let maxRequestBytes = 16 * 1024 * 1024

    public var id: UInt64
    public var symbol: String
    public var table: PollenTable
    public var items: [ItemMapper.MappedItem]

    public var units: Int { items.reduce(0) { $0 + $1.writeUnits } }
    public var keys: [String] { items.map(\.key) }

    /// Splits `items` into batches of at most 25 items and 16 MB (item sizes plus a margin
    /// for JSON and base64 overhead), in order.
    public static func split(_ items: [ItemMapper.MappedItem], symbol: String, table: PollenTable,
                             nextID: () -> UInt64) -> [WriteBatch] {
        var batches: [WriteBatch] = []
        var current: [ItemMapper.MappedItem] = []
        var bytes = 0
        for item in items {
            let encoded = item.bytes * 4 / 3 + 512
            if current.count == maxItems || (!current.isEmpty && bytes + encoded > maxRequestBytes) {
                batches.append(WriteBatch(id: nextID(), symbol: symbol, table: table, items: current))
                current = []
                bytes = 0
            }
            current.append(item)
            bytes += encoded
        }
        if !current.isEmpty { batches.append(WriteBatch(id: nextID(), symbol: symbol, table: table, items: current)) }
        return batches
    }
}
