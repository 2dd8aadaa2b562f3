import Foundation

extension AttributeValue {
    /// Writes the DynamoDB JSON form (`{"S":"..."}`), checking what DynamoDB would reject:
    /// empty sets, repeated set members and malformed numbers. `attribute` names the value in errors.
    func write(to writer: inout JSONWriter, attribute: String) throws {
        try writer.object { writer in
            switch self {
            case .s(let value):
                writer.member("S", string: value)
            case .n(let value):
                guard DynamoDBNumber.isValid(value) else { throw AttributeValueError.invalidNumber(attribute: attribute) }
                writer.member("N", string: value)
            case .b(let value):
                writer.member("B", string: value.base64EncodedString())
            case .bool(let value):
                writer.member("BOOL") { $0.bool(value) }
            case .null:
                writer.member("NULL") { $0.bool(true) }
            case .m(let map):
                try writer.member("M") { try Item.write(map, to: &$0, path: attribute + ".") }
            case .l(let list):
                try writer.member("L") { writer in
                    try writer.array { writer in
                        for (index, element) in list.enumerated() {
                            try element.write(to: &writer, attribute: "\(attribute)[\(index)]")
                        }
                    }
                }
            case .ss(let values):
                try Self.checkSet(values, attribute: attribute)
                writer.member("SS") { writer in writer.array { for value in values { $0.string(value) } } }
            case .ns(let values):
                try Self.checkSet(values, attribute: attribute)
                guard values.allSatisfy(DynamoDBNumber.isValid) else { throw AttributeValueError.invalidNumber(attribute: attribute) }
                writer.member("NS") { writer in writer.array { for value in values { $0.string(value) } } }
            case .bs(let values):
                try Self.checkSet(values, attribute: attribute)
                writer.member("BS") { writer in writer.array { for value in values { $0.string(value.base64EncodedString()) } } }
            }
        }
    }

    private static func checkSet<Element: Hashable>(_ values: [Element], attribute: String) throws {
        if values.isEmpty { throw AttributeValueError.emptySet(attribute: attribute) }
        if Set(values).count != values.count { throw AttributeValueError.duplicateInSet(attribute: attribute) }
    }

    /// The DynamoDB JSON text of this value, as sent on the wire.
    public func jsonData() throws -> Data {
        var writer = JSONWriter(capacity: 64)
        try write(to: &writer, attribute: "value")
        return Data(writer.bytes)
    }
}

extension Dictionary where Key == String, Value == AttributeValue {
    /// Writes an item or map as a JSON object of attribute values.
    static func write(_ item: Item, to writer: inout JSONWriter, path: String = "") throws {
        try writer.object { writer in
            for (name, value) in item {
                try writer.member(name) { try value.write(to: &$0, attribute: path + name) }
            }
        }
    }
}

extension AttributeValue: Decodable {
    private struct TypeKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        let attribute = decoder.codingPath.map(\.stringValue).joined(separator: ".")
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw AttributeValueError.malformed(attribute: attribute, reason: "an attribute value has exactly one type key")
        }
        switch key.stringValue {
        case "S": self = .s(try container.decode(String.self, forKey: key))
        case "N":
            let text = try container.decode(String.self, forKey: key)
            guard DynamoDBNumber.isValid(text) else { throw AttributeValueError.invalidNumber(attribute: attribute) }
            self = .n(text)
        case "B": self = .b(try Self.decodeBase64(container.decode(String.self, forKey: key), attribute: attribute))
        case "BOOL": self = .bool(try container.decode(Bool.self, forKey: key))
        case "NULL":
            guard try container.decode(Bool.self, forKey: key) else {
                throw AttributeValueError.malformed(attribute: attribute, reason: "NULL must be true")
            }
            self = .null
        case "M": self = .m(try container.decode([String: AttributeValue].self, forKey: key))
        case "L": self = .l(try container.decode([AttributeValue].self, forKey: key))
        case "SS":
            let values = try container.decode([String].self, forKey: key)
            if values.isEmpty { throw AttributeValueError.emptySet(attribute: attribute) }
            self = .ss(values)
        case "NS":
            let values = try container.decode([String].self, forKey: key)
            if values.isEmpty { throw AttributeValueError.emptySet(attribute: attribute) }
            guard values.allSatisfy(DynamoDBNumber.isValid) else { throw AttributeValueError.invalidNumber(attribute: attribute) }
            self = .ns(values)
        case "BS":
            let values = try container.decode([String].self, forKey: key)
            if values.isEmpty { throw AttributeValueError.emptySet(attribute: attribute) }
            self = .bs(try values.map { try Self.decodeBase64($0, attribute: attribute) })
        default:
            throw AttributeValueError.malformed(attribute: attribute, reason: "unknown type \(key.stringValue)")
        }
    }

    private static func decodeBase64(_ text: String, attribute: String) throws -> Data {
        guard let data = Data(base64Encoded: text) else {
            throw AttributeValueError.malformed(attribute: attribute, reason: "binary value is not base64")
        }
        return data
    }

    /// Reads one value from its DynamoDB JSON text.
    public init(jsonData: Data) throws {
        self = try JSONDecoder().decode(AttributeValue.self, from: jsonData)
    }
}
