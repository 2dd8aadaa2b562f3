@testable import PollenConsole
import XCTest

/// Display widths and the console's number and duration formats.
final class TextTests: XCTestCase {
    func testDisplayWidths() {
        XCTAssertEqual(DisplayWidth.of("AAPL"), 4)
        XCTAssertEqual(DisplayWidth.of("株式会社"), 8, "CJK ideographs are wide")
        XCTAssertEqual(DisplayWidth.of("ｔｅｓｔ"), 8, "fullwidth forms are wide")
        XCTAssertEqual(DisplayWidth.of("한국"), 4, "Hangul syllables are wide")
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "a combining mark adds nothing")
        XCTAssertEqual(DisplayWidth.of("\u{200B}"), 0, "zero-width space")
        XCTAssertEqual(DisplayWidth.of("😀"), 2, "emoji")
        XCTAssertEqual(DisplayWidth.of("❤\u{FE0F}"), 2, "emoji presentation selector")
        XCTAssertEqual(DisplayWidth.of("─│█▁⠿…·"), 7, "the console's own glyphs are narrow")
        XCTAssertEqual(DisplayWidth.of("a\tb"), 2, "control characters take no column")
    }

    func testNumbers() {
        XCTAssertEqual(NumberText.count(0), "0")
        XCTAssertEqual(NumberText.count(12_345), "12,345")
        XCTAssertEqual(NumberText.count(-1_234_567), "-1,234,567")
        XCTAssertEqual(NumberText.compact(950), "950")
        XCTAssertEqual(NumberText.compact(4000), "4,000")
        XCTAssertEqual(NumberText.compact(12_345), "12.3k")
        XCTAssertEqual(NumberText.compact(123_456), "123k")
        XCTAssertEqual(NumberText.compact(2_500_000), "2.5M")
        XCTAssertEqual(NumberText.rate(4.56), "4.6")
        XCTAssertEqual(NumberText.rate(1250.4), "1,250")
        XCTAssertEqual(NumberText.percent(33.4), "33%")
        XCTAssertEqual(NumberText.percent(2.46, precise: true), "2.5%")
        XCTAssertEqual(NumberText.fixed(0.05, decimals: 1), "0.1")
        XCTAssertEqual(NumberText.fixed(-2.25, decimals: 2), "-2.25")
        XCTAssertEqual(NumberText.fixed(.nan, decimals: 1), "-")
    }

    func testWrappingBreaksAtSpacesAndCutsLongWords() {
        XCTAssertEqual("gave up after 3 attempts".wrapped(toDisplayWidth: 10), ["gave up", "after 3", "attempts"])
        XCTAssertEqual("ProvisionedThroughput".wrapped(toDisplayWidth: 8), ["Provisio", "nedThrou", "ghput"])
        XCTAssertEqual("株式会社".wrapped(toDisplayWidth: 5), ["株式", "会社"])
        XCTAssertEqual("".wrapped(toDisplayWidth: 5), [""])
    }

    func testDurations() {
        XCTAssertEqual(DurationText.short(0.42), "0.4s")
        XCTAssertEqual(DurationText.short(12.9), "12s")
        XCTAssertEqual(DurationText.short(120), "2m")
        XCTAssertEqual(DurationText.short(112.5), "1m52s")
        XCTAssertEqual(DurationText.short(7500), "2h05m")
        XCTAssertEqual(DurationText.clock(90.3), "01:30")
        XCTAssertEqual(DurationText.clock(3723), "1:02:03")
    }
}
