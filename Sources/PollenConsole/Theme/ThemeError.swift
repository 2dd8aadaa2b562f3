/// Why a theme could not be used, naming the file, the key and (when known) the line, so the
/// operator can fix the file without guessing.
public struct ThemeError: Error, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Problem: Equatable, Sendable {
        case syntax(String)
        case notAMapping
        case unknownKey(String)
        case unknownRole(String)
        case badColor(String)
        case missingPaletteEntry(String)
        case badAttribute(String)
        case notFound(name: String, searched: [String])
        case unreadable(String)
        /// Larger than any theme needs (``ThemeParser/maxBytes``).
        case tooLarge(bytes: Int)
        /// A YAML anchor or alias: themes need none, and aliases can expand a few hundred bytes
        /// into billions of nodes.
        case aliasNotAllowed
    }

    /// The theme file (or `built-in default`).
    public var file: String
    /// The key path in the file (`roles.error.fg`), when the problem is at a key.
    public var key: String?
    /// The line in the file, starting at 1, when known.
    public var line: Int?
    public var problem: Problem

    public init(file: String, key: String? = nil, line: Int? = nil, problem: Problem) {
        self.file = file
        self.key = key
        self.line = line
        self.problem = problem
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let key { location += ": \(key)" }
        switch problem {
        case .syntax(let message):
            return "\(location): YAML syntax error: \(message)"
        case .notAMapping:
            return "\(location): expected a mapping of keys to values"
        case .unknownKey(let name):
            return "\(location): unknown key '\(name)'"
        case .unknownRole(let name):
            return "\(location): unknown role '\(name)' (roles: \(ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .badColor(let value):
            return "\(location): '\(value)' is not a color (use #RRGGBB, 0-255, an ANSI name or default)"
        case .missingPaletteEntry(let name):
            return "\(location): '\(name)' is neither a palette entry nor a color"
        case .badAttribute(let name):
            return "\(location): unknown attribute '\(name)' (use \(CellAttributes.named.map(\.name).joined(separator: ", ")))"
        case .notFound(let name, let searched):
            return "theme '\(name)' not found (looked in \(searched.joined(separator: ", ")))"
        case .unreadable(let reason):
            return "\(location): cannot be read: \(reason)"
        case .tooLarge(let bytes):
            return "\(location): \(bytes) bytes is too large for a theme (at most \(ThemeParser.maxBytes))"
        case .aliasNotAllowed:
            return "\(location): YAML anchors and aliases (&name, *name) are not allowed in themes"
        }
    }
}
