import Foundation

/// Finds themes by name and loads them.
///
/// Search order for `NAME`: `$XDG_CONFIG_HOME/pollen/themes/NAME.yaml` (else
/// `~/.config/pollen/themes/NAME.yaml`), then each directory the host gives (the repository's
/// `themes/`), then, for `default`, the built-in copy. A name with a `/` or ending in `.yaml`
/// is a path to a theme file.
public enum ThemeLoader {
    /// The theme used when neither `--theme` nor `POLLEN_THEME` names one.
    public static let defaultName = BuiltInTheme.name

    /// Loads `name`, else `POLLEN_THEME`, else the default theme.
    public static func load(name: String?, environment: [String: String], directories: [URL]) throws -> Theme {
        let requested = [name, environment["POLLEN_THEME"]].compactMap { $0 }.first { !$0.isEmpty } ?? defaultName
        if requested.contains("/") || requested.hasSuffix(".yaml") {
            return try load(file: URL(fileURLWithPath: requested))
        }
        let searched = searchDirectories(environment: environment, directories: directories)
        for directory in searched {
            let file = directory.appendingPathComponent("\(requested).yaml")
            if FileManager.default.fileExists(atPath: file.path) { return try load(file: file) }
        }
        if requested == BuiltInTheme.name {
            return try ThemeParser.parse(yaml: BuiltInTheme.yaml, file: "built-in default theme", fallbackName: requested)
        }
        throw ThemeError(file: "\(requested).yaml", problem: .notFound(name: requested, searched: searched.map(\.path)))
    }

    /// Loads one theme file.
    public static func load(file: URL) throws -> Theme {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ThemeError(file: file.path, problem: .unreadable(error.localizedDescription))
        }
        return try ThemeParser.parse(yaml: text, file: file.path, fallbackName: file.deletingPathExtension().lastPathComponent)
    }

    /// The names of every theme that can be found, the default first, then alphabetically.
    public static func availableThemes(environment: [String: String], directories: [URL]) -> [String] {
        var names: Set<String> = [defaultName]
        for directory in searchDirectories(environment: environment, directories: directories) {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for file in files where file.hasSuffix(".yaml") { names.insert(String(file.dropLast(5))) }
        }
        return [defaultName] + names.subtracting([defaultName]).sorted()
    }

    /// Where themes are looked for, in order: the user's configuration, then `directories`.
    public static func searchDirectories(environment: [String: String], directories: [URL]) -> [URL] {
        var configuration: URL?
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            configuration = URL(fileURLWithPath: xdg)
        } else if let home = environment["HOME"], !home.isEmpty {
            configuration = URL(fileURLWithPath: home).appendingPathComponent(".config")
        }
        let user = configuration.map { $0.appendingPathComponent("pollen/themes") }
        return (user.map { [$0] } ?? []) + directories
    }
}
