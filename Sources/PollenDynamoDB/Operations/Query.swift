/// `Query`: the items of one partition, optionally narrowed by sort key.
public struct QueryInput: Sendable, PagedRead {
    public typealias Output = ReadPage
    static let name = "Query"

    public var tableName: String
    public var keyConditionExpression: String
    public var scanIndexForward: Bool?
    public var options: ReadOptions

    public init(tableName: String, keyConditionExpression: String, scanIndexForward: Bool? = nil,
                options: ReadOptions = ReadOptions()) {
        self.tableName = tableName
        self.keyConditionExpression = keyConditionExpression
        self.scanIndexForward = scanIndexForward
        self.options = options
    }

    var tableNames: [String] { [tableName] }

    func writeBody(to writer: inout JSONWriter) throws {
        try writer.object { writer in
            writer.member("TableName", string: tableName)
            writer.member("KeyConditionExpression", string: keyConditionExpression)
            writer.member("ScanIndexForward", bool: scanIndexForward)
            try options.write(to: &writer)
        }
    }
}
