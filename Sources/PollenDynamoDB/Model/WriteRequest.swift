/// One put or delete inside a `BatchWriteItem`, as sent and as returned in `UnprocessedItems`.
public enum WriteRequest: Sendable, Equatable, Decodable {
    case put(item: Item)
    case delete(key: Item)

    private enum CodingKeys: String, CodingKey { case put = "PutRequest", delete = "DeleteRequest" }
    private enum PutKeys: String, CodingKey { case item = "Item" }
    private enum DeleteKeys: String, CodingKey { case key = "Key" }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.put) {
            let put = try container.nestedContainer(keyedBy: PutKeys.self, forKey: .put)
            self = .put(item: try put.decode(Item.self, forKey: .item))
        } else {
            let delete = try container.nestedContainer(keyedBy: DeleteKeys.self, forKey: .delete)
            self = .delete(key: try delete.decode(Item.self, forKey: .key))
        }
    }

    func write(to writer: inout JSONWriter) throws {
        try writer.object { writer in
            switch self {
            case .put(let item):
                try writer.member("PutRequest") { try $0.object { try $0.member("Item") { try Item.write(item, to: &$0) } } }
            case .delete(let key):
                try writer.member("DeleteRequest") { try $0.object { try $0.member("Key") { try Item.write(key, to: &$0) } } }
            }
        }
    }
}
