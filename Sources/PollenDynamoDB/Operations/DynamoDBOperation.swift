/// One DynamoDB API call as the client sends it: its name, how its input is written as JSON,
/// and the type its output decodes to.
protocol DynamoDBOperation: Sendable {
    associatedtype Output: Decodable & Sendable
    static var name: String { get }
    /// The tables this call touches, for logs and errors.
    var tableNames: [String] { get }
    func writeBody(to writer: inout JSONWriter) throws
}

/// The output of calls that return nothing the caller needs.
public struct EmptyOutput: Sendable, Decodable {}

extension JSONWriter {
    mutating func member(_ key: String, item: Item?) throws {
        guard let item else { return }
        try member(key) { try Item.write(item, to: &$0) }
    }

    mutating func member(_ key: String, names: [String: String]?) {
        guard let names, !names.isEmpty else { return }
        member(key) { writer in writer.object { for (name, value) in names { $0.member(name, string: value) } } }
    }

    mutating func member(_ key: String, returnConsumedCapacity: ReturnConsumedCapacity?) {
        member(key, string: returnConsumedCapacity?.rawValue)
    }
}
