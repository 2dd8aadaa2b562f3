import Yams

/// Reads one theme file (the format of `themes/README.md`) and checks every key, reporting the
/// first problem with its file, key path and line.
enum ThemeParser {
    private static let topLevelKeys: Set<String> = ["name", "description", "palette", "roles"]
    private static let roleKeys: Set<String> = ["fg", "bg", "attributes"]
    /// The largest theme file read (the built-in ones are under 2 KB).
    static let maxBytes = 64 * 1024

    /// The first line (from 1) with a YAML anchor (`&name`) or alias (`*name`) outside quotes and
    /// comments, found before the YAML library sees the text (it would expand them).
    static func lineWithAnchorOrAlias(_ yaml: String) -> Int? {
        for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let characters = Array(line)
            var quote: Character?
            var position = 0
            scan: while position < characters.count {
                let character = characters[position]
                let previous: Character = position == 0 ? " " : characters[position - 1]
                position += 1
                if let open = quote {
                    if character == open { quote = nil }
                    continue
                }
                switch character {
                case "'", "\"":
                    quote = character
                case "#" where previous == " " || previous == "\t":
                    break scan  // a comment, to the end of the line
                case "&", "*":
                    // An anchor or alias: the marker where a value starts, its name right after it.
                    if " \t:-[{,".contains(previous), position < characters.count, !characters[position].isWhitespace {
                        return index + 1
                    }
                default:
                    break
                }
            }
        }
        return nil
    }

    /// The theme written in `yaml`; `file` names it in errors, `fallbackName` is used when the
    /// file has no `name`.
    static func parse(yaml: String, file: String, fallbackName: String) throws -> Theme {
        guard yaml.utf8.count <= maxBytes else { throw ThemeError(file: file, problem: .tooLarge(bytes: yaml.utf8.count)) }
        if let line = lineWithAnchorOrAlias(yaml) { throw ThemeError(file: file, line: line, problem: .aliasNotAllowed) }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ThemeError(file: file, problem: .notAMapping)
            }
            root = node
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        }
        let document = try mapping(root, file: file, key: nil)
        for (key, _) in document where !topLevelKeys.contains(key.string ?? "") {
            throw ThemeError(file: file, key: key.string, line: key.mark?.line, problem: .unknownKey(key.string ?? "?"))
        }

        var palette: [String: ThemeColor] = [:]
        if let paletteNode = document["palette"] {
            for (key, value) in try mapping(paletteNode, file: file, key: "palette") {
                let name = key.string ?? ""
                let text = value.string ?? ""
                guard let color = ThemeColor(parsing: text) else {
                    throw ThemeError(file: file, key: "palette.\(name)", line: value.mark?.line, problem: .badColor(text))
                }
                palette[name] = color
            }
        }

        var declared: [ThemeRole: (foreground: ThemeColor?, background: ThemeColor?, attributes: CellAttributes)] = [:]
        if let rolesNode = document["roles"] {
            for (key, value) in try mapping(rolesNode, file: file, key: "roles") {
                let name = key.string ?? ""
                guard let role = ThemeRole(rawValue: name) else {
                    throw ThemeError(file: file, key: "roles.\(name)", line: key.mark?.line, problem: .unknownRole(name))
                }
                declared[role] = try roleStyle(value, path: "roles.\(name)", palette: palette, file: file)
            }
        }

        let textForeground = declared[.text]?.foreground ?? .terminalDefault
        let background = declared[.background]?.background ?? .terminalDefault
        var styles: [ThemeRole: RoleStyle] = [:]
        for (role, style) in declared {
            styles[role] = RoleStyle(foreground: style.foreground ?? textForeground,
                                     background: style.background ?? background, attributes: style.attributes)
        }
        if styles[.text] == nil { styles[.text] = RoleStyle(foreground: textForeground, background: background) }
        return Theme(name: document["name"]?.string ?? fallbackName, styles: styles)
    }

    private static func roleStyle(_ node: Node, path: String, palette: [String: ThemeColor], file: String) throws
        -> (foreground: ThemeColor?, background: ThemeColor?, attributes: CellAttributes) {
        var foreground: ThemeColor?, background: ThemeColor?
        var attributes: CellAttributes = []
        for (key, value) in try mapping(node, file: file, key: path) {
            let name = key.string ?? ""
            switch name {
            case "fg": foreground = try color(value, path: "\(path).fg", palette: palette, file: file)
            case "bg": background = try color(value, path: "\(path).bg", palette: palette, file: file)
            case "attributes":
                let names = value.sequence.map { $0.map { $0.string ?? "" } } ?? [value.string ?? ""]
                for attributeName in names {
                    guard let attribute = CellAttributes.named.first(where: { $0.name == attributeName }) else {
                        throw ThemeError(file: file, key: "\(path).attributes", line: value.mark?.line,
                                         problem: .badAttribute(attributeName))
                    }
                    attributes.insert(attribute.attribute)
                }
            default:
                throw ThemeError(file: file, key: "\(path).\(name)", line: key.mark?.line, problem: .unknownKey(name))
            }
        }
        return (foreground, background, attributes)
    }

    /// A palette entry's color, else a color written in place.
    private static func color(_ node: Node, path: String, palette: [String: ThemeColor], file: String) throws -> ThemeColor {
        let text = node.string ?? ""
        if let color = palette[text] ?? ThemeColor(parsing: text) { return color }
        let looksLikeColor = text.hasPrefix("#") || text.first?.isNumber == true
        throw ThemeError(file: file, key: path, line: node.mark?.line,
                         problem: looksLikeColor ? .badColor(text) : .missingPaletteEntry(text))
    }

    private static func mapping(_ node: Node, file: String, key: String?) throws -> Node.Mapping {
        guard let mapping = node.mapping else {
            throw ThemeError(file: file, key: key, line: node.mark?.line, problem: .notAMapping)
        }
        return mapping
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ThemeError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text): \(problem)" } ?? problem
            return ThemeError(file: file, line: mark.line, problem: .syntax(detail))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ThemeError(file: file, line: context.mark.line,
                              problem: .syntax("duplicate keys \(duplicates.joined(separator: ", "))"))
        default:
            return ThemeError(file: file, problem: .syntax(String(describing: error)))
        }
    }
}
