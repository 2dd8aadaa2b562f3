import Foundation

/// One parsed AWS shared file (`~/.aws/credentials` or `~/.aws/config`): INI sections of
/// `key = value` settings.
///
/// The two files name their sections differently: the credentials file uses `[name]`, the
/// config file `[profile name]` (and `[default]`). ``profile(named:)`` hides the difference.
public struct SharedConfigFile: Sendable {
    /// Which of the two shared files this is; decides how section names map to profiles.
    public enum Kind: Sendable { case credentials, config }

    public let path: String
    public let kind: Kind
    private let sections: [String: [String: String]]

    /// Parses `text`. Comments (`#`, `;`), blank lines and indented sub-settings are skipped.
    public init(text: String, path: String, kind: Kind) {
        self.path = path
        self.kind = kind
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let isIndented = rawLine.first == " " || rawLine.first == "\t"
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let section = current, !isIndented, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let comment = value.range(of: " #") ?? value.range(of: " ;") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            sections[section, default: [:]][key] = value
        }
        self.sections = sections
    }

    /// Reads and parses the file at `path`; a file that does not exist is an empty file.
    public static func load(path: String, kind: Kind) throws -> SharedConfigFile {
        guard FileManager.default.fileExists(atPath: path) else {
            return SharedConfigFile(text: "", path: path, kind: kind)
        }
        do {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return SharedConfigFile(text: text, path: path, kind: kind)
        } catch {
            throw AWSConfigurationError.unreadableFile(path: path, reason: "not readable UTF-8 text")
        }
    }

    /// The settings of profile `name`, or `nil` when the file has no such profile.
    public func profile(named name: String) -> [String: String]? {
        switch kind {
        case .credentials:
            return sections[name]
        case .config:
            if name == "default" { return sections["profile default"] ?? sections["default"] }
            return sections["profile \(name)"]
        }
    }
}
