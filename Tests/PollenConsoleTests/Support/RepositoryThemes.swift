import PollenConsole
import PollenTestSupport

/// The themes of the repository's `themes/` folder.
enum RepositoryThemes {
    static let directory = RepositoryPaths.root.appendingPathComponent("themes")

    static func all() -> [Theme] {
        ThemeLoader.availableThemes(environment: [:], directories: [directory]).compactMap {
            try? ThemeLoader.load(name: $0, environment: [:], directories: [directory])
        }
    }
}
