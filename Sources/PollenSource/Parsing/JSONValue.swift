/// A parsed JSON value whose objects keep their members in the order they appear in the text.
///
/// Foundation's `JSONSerialization` returns dictionaries and so loses that order; Pollen keeps
/// it so that a record's fields come out in the order Alpha Vantage sent them.
enum JSONValue: Equatable {
    case string(String)
    case number
    case bool
    case null
    case array([JSONValue])
    case object(JSONObject)

    /// The value's JSON type with an article ("a number"), for messages that must not quote data.
    var typeDescription: String {
        switch self {
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .null: return "null"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A JSON object's members in text order; a repeated name keeps its first place and its last
/// value, and is listed in `repeatedNames` (which value was meant, the text does not say).
struct JSONObject: Equatable {
    struct Member: Equatable {
        var name: String
        var value: JSONValue
    }

    let members: [Member]
    /// Names that appear more than once, in the order their second appearance was met.
    var repeatedNames: [String] = []

    var isEmpty: Bool { members.isEmpty }

    /// The value of the member called `name`, if there is one.
    subscript(name: String) -> JSONValue? {
        members.first { $0.name == name }?.value
    }
}
