/// `Scan`: every item of a table (or one segment of it), a page at a time.
public struct ScanInput: Sendable, PagedRead {
    public typealias Output = ReadPage
    static let name = "Scan"

    public var tableName: String
    public var segment: Int?
    public var totalSegments: Int?
    public var options: ReadOptions

    public init(tableName: String, segment: Int? = nil, totalSegments: Int? = nil, options: ReadOptions = ReadOptions()) {
        self.tableName = tableName
        self.segment = segment
        self.totalSegments = totalSegments
        self.options = options
    }

    var tableNames: [String] { [tableName] }

    func writeBody(to writer: inout JSONWriter) throws {
        try writer.object { writer in
            writer.member("TableName", string: tableName)
            writer.member("Segment", int: segment)
            writer.member("TotalSegments", int: totalSegments)
            try options.write(to: &writer)
        }
    }
}
