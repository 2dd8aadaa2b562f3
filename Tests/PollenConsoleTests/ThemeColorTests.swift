import PollenConsole
import XCTest

/// Theme colors brought down to what a terminal has, and styles without color.
final class ThemeColorTests: XCTestCase {
    func color(_ text: String) throws -> ThemeColor { try XCTUnwrap(ThemeColor(parsing: text), text) }

    func testParsing() {
        XCTAssertEqual(ThemeColor(parsing: "default"), .terminalDefault)
        XCTAssertEqual(ThemeColor(parsing: "brightRed"), .indexed(9))
        XCTAssertEqual(ThemeColor(parsing: "cyan"), .indexed(6))
        XCTAssertEqual(ThemeColor(parsing: "208"), .indexed(208))
        XCTAssertEqual(ThemeColor(parsing: "#1F4a7A"), .rgb(red: 0x1F, green: 0x4A, blue: 0x7A))
        for bad in ["#12345G", "#12345", "256", "-1", "crimson", "", "#ff00000"] {
            XCTAssertNil(ThemeColor(parsing: bad), bad)
        }
    }

    func testRGBOn256ColorsUsesTheCubeOrTheGrayRamp() throws {
        XCTAssertEqual(try color("#ff0000").index(colorCount: 256), 196)
        XCTAssertEqual(try color("#00ff00").index(colorCount: 256), 46)
        XCTAssertEqual(try color("#5f87af").index(colorCount: 256), 67, "an exact cube color")
        XCTAssertEqual(try color("#808080").index(colorCount: 256), 244, "grays go to the gray ramp")
        XCTAssertEqual(try color("208").index(colorCount: 256), 208)
        XCTAssertEqual(try color("default").index(colorCount: 256), -1)
    }

    func testOn16ColorsHueSurvives() throws {
        XCTAssertEqual(try color("#ff0000").index(colorCount: 16), 9)
        XCTAssertEqual(try color("#cd0000").index(colorCount: 16), 1)
        XCTAssertEqual(try color("#f85149").index(colorCount: 16), 9, "a light red is bright red")
        XCTAssertEqual(try color("#3fb950").index(colorCount: 16), 2, "the default theme's green stays green")
        XCTAssertEqual(try color("#9ece6a").index(colorCount: 16), 2, "a pastel green is not gray")
        XCTAssertEqual(try color("#d29922").index(colorCount: 16), 3)
        XCTAssertEqual(try color("#58a6ff").index(colorCount: 16), 12)
        XCTAssertEqual(try color("#808080").index(colorCount: 16), 8)
        XCTAssertEqual(try color("#f0f6fc").index(colorCount: 16), 15)
        XCTAssertEqual(try color("#000000").index(colorCount: 16), 0)
        XCTAssertEqual(try color("brightYellow").index(colorCount: 16), 11)
        XCTAssertEqual(try color("196").index(colorCount: 16), 9, "a 256-palette red")
    }

    func testOn8ColorsBrightColorsFoldAndGraysStayReadable() throws {
        XCTAssertEqual(try color("brightYellow").index(colorCount: 8), 3)
        XCTAssertEqual(try color("#f85149").index(colorCount: 8), 1)
        XCTAssertEqual(try color("#3fb950").index(colorCount: 8), 2)
        XCTAssertEqual(try color("#7d8590").index(colorCount: 8), 7, "gray text stays visible on black")
        XCTAssertEqual(try color("#0d1117").index(colorCount: 8), 0)
    }

    func testEveryBundledThemeFitsEveryColorDepth() throws {
        let themes = RepositoryThemes.all()
        XCTAssertEqual(themes.count, 4)
        for theme in themes {
            for colors in [8, 16, 256] {
                for role in ThemeRole.allCases {
                    let style = theme.style(for: role)
                    for index in [style.foreground.index(colorCount: colors), style.background.index(colorCount: colors)] {
                        XCTAssertTrue((-1..<colors).contains(index), "\(theme.name) \(role) on \(colors) colors: \(index)")
                    }
                }
            }
        }
    }

    func testWithoutColorRolesKeepApartThroughAttributes() throws {
        let theme = try ThemeLoader.load(name: nil, environment: [:], directories: [])
        let error = theme.style(for: CellStyle(.error), color: false)
        XCTAssertEqual(error.foreground, .terminalDefault)
        XCTAssertEqual(error.background, .terminalDefault)
        XCTAssertTrue(error.attributes.isSuperset(of: [.bold, .underline]))
        XCTAssertEqual(theme.style(for: CellStyle(.selection), color: false).attributes.contains(.reverse), true)
        XCTAssertEqual(theme.style(for: CellStyle(.muted), color: false).attributes.contains(.dim), true)
        XCTAssertEqual(theme.style(for: CellStyle(.text, .underline), color: false).attributes, [.underline],
                       "a cell's own attributes are kept")
        let colored = theme.style(for: CellStyle(.error), color: true)
        XCTAssertNotEqual(colored.foreground, .terminalDefault)
    }
}
