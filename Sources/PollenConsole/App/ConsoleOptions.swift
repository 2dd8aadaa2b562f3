import Foundation

/// How the host wants the console: theme, frame rate, Unicode or ASCII, color or not, and the
/// write-rate cap the run starts with.
public struct ConsoleOptions: Sendable {
    /// `--theme`; `nil` falls back to `POLLEN_THEME`, then the default theme.
    public var themeName: String?
    /// Where themes are looked for after the user's configuration (the repository's `themes/`).
    public var themeDirectories: [URL]
    /// The most frames drawn per second.
    public var framesPerSecond: Int
    /// Whether to draw with Unicode box drawing and blocks (a UTF-8 locale) or ASCII.
    public var unicode: Bool
    /// Whether to use color; `false` when `NO_COLOR` is set.
    public var color: Bool
    /// The environment themes are searched with (`XDG_CONFIG_HOME`, `HOME`, `POLLEN_THEME`).
    public var environment: [String: String]

    public init(themeName: String? = nil, themeDirectories: [URL] = [], framesPerSecond: Int = 10,
                unicode: Bool = true, color: Bool = true,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.themeName = themeName
        self.themeDirectories = themeDirectories
        self.framesPerSecond = max(1, framesPerSecond)
        self.unicode = unicode
        self.color = color
        self.environment = environment
    }

    /// Options that follow the environment: no color when `NO_COLOR` is set and not empty,
    /// Unicode when the locale is UTF-8.
    public init(environment: [String: String], themeName: String? = nil, themeDirectories: [URL] = []) {
        self.init(themeName: themeName, themeDirectories: themeDirectories,
                  unicode: Self.isUTF8Locale(environment: environment),
                  color: (environment["NO_COLOR"] ?? "").isEmpty,
                  environment: environment)
    }

    /// Whether the locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`) is UTF-8.
    public static func isUTF8Locale(environment: [String: String]) -> Bool {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let normalized = locale.lowercased().replacingOccurrences(of: "-", with: "")
        return normalized.contains("utf8")
    }
}
