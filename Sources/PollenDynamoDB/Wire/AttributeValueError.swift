/// Why an attribute value cannot be sent to or read from DynamoDB.
///
/// Names the attribute, never its value: values are the operator's data.
public enum AttributeValueError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptySet(attribute: String)
    case duplicateInSet(attribute: String)
    case invalidNumber(attribute: String)
    case malformed(attribute: String, reason: String)

    public var description: String {
        switch self {
        case .emptySet(let attribute): return "attribute \(attribute): a set cannot be empty"
        case .duplicateInSet(let attribute): return "attribute \(attribute): a set cannot hold the same value twice"
        case .invalidNumber(let attribute):
            return "attribute \(attribute): not a DynamoDB number (decimal, at most 38 significant digits, magnitude 1E-130 to 1E+126)"
        case .malformed(let attribute, let reason): return "attribute \(attribute): \(reason)"
        }
    }
}
