@testable import PollenConsole
import Foundation
import PollenTestSupport
import XCTest

/// Theme files: the bundled ones, the search order, and a clear error for each kind of mistake.
final class ThemeLoaderTests: XCTestCase {
    let repositoryThemes = RepositoryThemes.directory
    let bundled = ["default", "light", "high-contrast", "monochrome"]

    func testEveryBundledThemeLoadsAndStylesEveryRole() throws {
        for name in bundled {
            let theme = try ThemeLoader.load(name: name, environment: [:], directories: [repositoryThemes])
            XCTAssertEqual(theme.name, name)
            let text = try String(contentsOf: repositoryThemes.appendingPathComponent("\(name).yaml"), encoding: .utf8)
            for role in ThemeRole.allCases {
                XCTAssertTrue(text.contains("\n  \(role.rawValue):"), "\(name).yaml styles \(role.rawValue)")
            }
        }
        let monochrome = try ThemeLoader.load(name: "monochrome", environment: [:], directories: [repositoryThemes])
        for role in ThemeRole.allCases {
            XCTAssertEqual(monochrome.style(for: role).foreground, .terminalDefault, "monochrome has no colors")
        }
    }

    func testTheBuiltInThemeIsTheDefaultFile() throws {
        let file = try String(contentsOf: repositoryThemes.appendingPathComponent("default.yaml"), encoding: .utf8)
        XCTAssertEqual(BuiltInTheme.yaml + "\n", file, "Sources/PollenConsole/Theme/BuiltInTheme.swift must copy themes/default.yaml")
        let builtIn = try ThemeLoader.load(name: nil, environment: [:], directories: [])
        let fromFile = try ThemeLoader.load(name: "default", environment: [:], directories: [repositoryThemes])
        XCTAssertEqual(builtIn, fromFile)
    }

    func testTheUserConfigurationWinsOverTheHostDirectories() throws {
        let home = TemporaryDirectory()
        try home.write("name: mine\nroles:\n  text: { fg: red }\n", to: "xdg/pollen/themes/light.yaml")
        let environment = ["XDG_CONFIG_HOME": home.url.appendingPathComponent("xdg").path, "HOME": "/nonexistent"]
        let theme = try ThemeLoader.load(name: "light", environment: environment, directories: [repositoryThemes])
        XCTAssertEqual(theme.name, "mine")
        XCTAssertEqual(theme.style(for: .text).foreground, .indexed(1))
    }

    func testWithoutXDGTheHomeConfigurationIsSearched() throws {
        let home = TemporaryDirectory()
        try home.write("name: from-home\n", to: ".config/pollen/themes/default.yaml")
        let theme = try ThemeLoader.load(name: "default", environment: ["HOME": home.path], directories: [repositoryThemes])
        XCTAssertEqual(theme.name, "from-home")
        XCTAssertEqual(ThemeLoader.searchDirectories(environment: ["HOME": home.path], directories: [repositoryThemes]),
                       [home.url.appendingPathComponent(".config/pollen/themes"), repositoryThemes])
    }

    func testTheNameComesFromTheHostThenPollenTheme() throws {
        let fromEnvironment = try ThemeLoader.load(name: nil, environment: ["POLLEN_THEME": "light"],
                                                   directories: [repositoryThemes])
        XCTAssertEqual(fromEnvironment.name, "light")
        let fromHost = try ThemeLoader.load(name: "monochrome", environment: ["POLLEN_THEME": "light"],
                                            directories: [repositoryThemes])
        XCTAssertEqual(fromHost.name, "monochrome")
    }

    func testAnUnknownThemeSaysWhereItLooked() {
        XCTAssertThrowsError(try ThemeLoader.load(name: "solarized", environment: ["XDG_CONFIG_HOME": "/cfg"],
                                                  directories: [repositoryThemes])) { error in
            let themeError = error as? ThemeError
            XCTAssertEqual(themeError?.problem, .notFound(name: "solarized", searched: ["/cfg/pollen/themes", repositoryThemes.path]))
            XCTAssertTrue(String(describing: error).contains("theme 'solarized' not found"))
        }
    }

    func testAvailableThemesListsTheDefaultFirst() throws {
        let home = TemporaryDirectory()
        try home.write("name: zebra\n", to: "pollen/themes/zebra.yaml")
        let names = ThemeLoader.availableThemes(environment: ["XDG_CONFIG_HOME": home.path], directories: [repositoryThemes])
        XCTAssertEqual(names, ["default", "high-contrast", "light", "monochrome", "zebra"])
    }

    // MARK: - Broken files

    /// Loads `yaml` from a file and returns the error, which must name the file.
    func loadError(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) throws -> ThemeError {
        let directory = TemporaryDirectory()
        let path = try directory.write(yaml, to: "broken.yaml")
        do {
            _ = try ThemeLoader.load(name: "broken", environment: [:], directories: [directory.url])
        } catch let error as ThemeError {
            XCTAssertEqual(error.file, path, file: file, line: line)
            XCTAssertTrue(error.description.hasPrefix(path), "the message starts with the file", file: file, line: line)
            return error
        }
        XCTFail("the theme loaded", file: file, line: line)
        throw CancellationError()
    }

    func testAnUnknownRoleIsNamedWithItsLine() throws {
        let error = try loadError("name: broken\nroles:\n  text: { fg: white }\n  eror: { fg: red }\n")
        XCTAssertEqual(error.key, "roles.eror")
        XCTAssertEqual(error.line, 4)
        XCTAssertEqual(error.problem, .unknownRole("eror"))
        XCTAssertTrue(error.description.contains("broken.yaml:4: roles.eror: unknown role 'eror'"))
    }

    /// A 441-byte alias bomb took 11 s (and a 491-byte one over 40 s) to load: aliases and
    /// anchors are refused before the YAML library sees them, and files over 64 KB too.
    func testAliasBombsAndHugeFilesAreRefusedAtOnce() throws {
        var bomb = "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n"
        for (name, previous) in zip("bcdefghi", "abcdefgh") {
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        bomb += "roles: *i\n"
        let started = Date()
        let error = try loadError(bomb)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertEqual(error.problem, .aliasNotAllowed)
        XCTAssertEqual(error.line, 1)
        XCTAssertTrue(error.description.contains("anchors and aliases (&name, *name) are not allowed"), error.description)
        let alias = try loadError("palette:\n  red: \"#ff0000\"\nroles:\n  error: { fg: *red }\n")
        XCTAssertEqual(alias.line, 4)
        let huge = try loadError("# " + String(repeating: "x", count: 70_000) + "\nname: big\n")
        XCTAssertEqual(huge.problem, .tooLarge(bytes: 2 + 70_000 + 1 + 10))
        // Quoted text, comments and a '&' or '*' followed by a space are no aliases.
        XCTAssertNil(ThemeParser.lineWithAnchorOrAlias("description: \"bold & *bright*\" # &not *either\nname: x & y\n"))
    }

    func testABadColorIsNamedWithItsKey() throws {
        let error = try loadError("palette:\n  red: \"#12345G\"\nroles:\n  error: { fg: red }\n")
        XCTAssertEqual(error.key, "palette.red")
        XCTAssertEqual(error.line, 2)
        XCTAssertEqual(error.problem, .badColor("#12345G"))
        XCTAssertTrue(error.description.contains("'#12345G' is not a color"))
        let inRole = try loadError("roles:\n  warn:\n    fg: \"#12345\"\n")
        XCTAssertEqual(inRole.key, "roles.warn.fg")
        XCTAssertEqual(inRole.problem, .badColor("#12345"))
        let outOfRange = try loadError("roles:\n  warn: { bg: 256 }\n")
        XCTAssertEqual(outOfRange.key, "roles.warn.bg")
        XCTAssertEqual(outOfRange.problem, .badColor("256"))
    }

    func testAMissingPaletteEntryIsNamed() throws {
        let error = try loadError("palette:\n  red: \"#ff0000\"\nroles:\n  error: { fg: crimson }\n")
        XCTAssertEqual(error.key, "roles.error.fg")
        XCTAssertEqual(error.line, 4)
        XCTAssertEqual(error.problem, .missingPaletteEntry("crimson"))
    }

    func testAYAMLSyntaxErrorGivesItsLine() throws {
        let error = try loadError("name: broken\nroles:\n  text: { fg: white\n  warn: { fg: yellow }\n")
        guard case .syntax = error.problem else { return XCTFail("\(error)") }
        XCTAssertNotNil(error.line)
        XCTAssertTrue(error.description.contains("YAML syntax error"), error.description)
    }

    func testUnknownKeysAndAttributesAreNamed() throws {
        let topLevel = try loadError("name: broken\ncolours:\n  red: \"#ff0000\"\n")
        XCTAssertEqual(topLevel.problem, .unknownKey("colours"))
        XCTAssertEqual(topLevel.line, 2)
        let inRole = try loadError("roles:\n  text: { foreground: red }\n")
        XCTAssertEqual(inRole.key, "roles.text.foreground")
        let attribute = try loadError("roles:\n  text: { attributes: [bold, blink] }\n")
        XCTAssertEqual(attribute.problem, .badAttribute("blink"))
        XCTAssertEqual(attribute.key, "roles.text.attributes")
        let notAMapping = try loadError("roles: [text, warn]\n")
        XCTAssertEqual(notAMapping.problem, .notAMapping)
        XCTAssertEqual(notAMapping.key, "roles")
    }

    func testLeftOutRolesLookLikeTextAndBackgroundsComeFromTheBackgroundRole() throws {
        let directory = TemporaryDirectory()
        try directory.write("roles:\n  text: { fg: 250 }\n  background: { bg: 235 }\n  error: { fg: red }\n", to: "sparse.yaml")
        let theme = try ThemeLoader.load(name: "sparse", environment: [:], directories: [directory.url])
        XCTAssertEqual(theme.name, "sparse", "named after its file")
        XCTAssertEqual(theme.style(for: .graph), theme.style(for: .text))
        XCTAssertEqual(theme.style(for: .error).foreground, .indexed(1))
        XCTAssertEqual(theme.style(for: .error).background, .indexed(235))
    }
}
