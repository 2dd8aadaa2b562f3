import Foundation

/// Where the themes that ship with pollen are: `POLLEN_THEMES_DIR`, else a `themes` folder
/// next to the executable or in one of its parents (the repository's `themes/` for a binary
/// under `.build/`), else `/usr/share/pollen/themes`.
enum ThemeDirectories {
    static func bundled(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        if let custom = environment["POLLEN_THEMES_DIR"], !custom.isEmpty { return [URL(fileURLWithPath: custom)] }
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("themes")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("default.yaml").path) {
                return [candidate]
            }
            folder.deleteLastPathComponent()
        }
        return [URL(fileURLWithPath: "/usr/share/pollen/themes")]
    }
}
