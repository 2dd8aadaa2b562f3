import Foundation

/// A DynamoDB attribute value, complete: every type the service defines.
///
/// Numbers stay decimal strings end to end (DynamoDB keeps 38 significant digits, more than
/// `Double` can hold), binary values are raw bytes (base64 on the wire).
public indirect enum AttributeValue: Sendable, Hashable {
    case s(String)
    case n(String)
    case b(Data)
    case bool(Bool)
    case null
    case m([String: AttributeValue])
    case l([AttributeValue])
    case ss([String])
    case ns([String])
    case bs([Data])

    /// A number value, or `nil` when `text` is not a number DynamoDB accepts.
    public static func number(_ text: String) -> AttributeValue? {
        DynamoDBNumber.isValid(text) ? .n(text) : nil
    }

    public var stringValue: String? {
        if case .s(let value) = self { return value }
        return nil
    }

    public var numberValue: String? {
        if case .n(let value) = self { return value }
        return nil
    }

    public var mapValue: [String: AttributeValue]? {
        if case .m(let value) = self { return value }
        return nil
    }

    /// The wire name of this value's type (`S`, `N`, `M`, ...).
    public var typeName: String {
        switch self {
        case .s: return "S"
        case .n: return "N"
        case .b: return "B"
        case .bool: return "BOOL"
        case .null: return "NULL"
        case .m: return "M"
        case .l: return "L"
        case .ss: return "SS"
        case .ns: return "NS"
        case .bs: return "BS"
        }
    }
}

/// One item: attribute names to values.
public typealias Item = [String: AttributeValue]
