import PollenConsole
import XCTest

/// The frame grid: display widths, wide characters, combining marks, clipping, ellipses.
final class CellBufferTests: XCTestCase {
    let style = CellStyle(.text)

    func testWideCharactersTakeTwoCells() {
        var buffer = CellBuffer(width: 8, height: 1)
        XCTAssertEqual(buffer.write("株式A", x: 0, y: 0, style: style), 5)
        XCTAssertEqual(buffer[0, 0].character, "株")
        XCTAssertEqual(buffer[0, 0].width, 2)
        XCTAssertTrue(buffer[1, 0].isContinuation)
        XCTAssertEqual(buffer[2, 0].character, "式")
        XCTAssertEqual(buffer[4, 0].character, "A")
        XCTAssertEqual(buffer.textLines, ["株式A   "])
    }

    func testCombiningMarksStayWithTheirBase() {
        var buffer = CellBuffer(width: 6, height: 1)
        XCTAssertEqual(buffer.write("e\u{301}te\u{301}", x: 0, y: 0, style: style), 3)
        XCTAssertEqual(buffer[0, 0].character, "é")
        XCTAssertEqual(buffer[0, 0].character.unicodeScalars.count, 2)
        XCTAssertEqual(buffer[1, 0].character, "t")
        XCTAssertEqual(buffer[3, 0].character, " ")
    }

    func testALoneCombiningMarkAttachesToTheCellBefore() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.write("a", x: 0, y: 0, style: style)
        buffer.write("\u{0308}", x: 1, y: 0, style: style)
        XCTAssertEqual(buffer[0, 0].character, "ä")
        XCTAssertEqual(buffer[1, 0].character, " ")
    }

    func testTextIsClippedAtTheEdges() {
        var buffer = CellBuffer(width: 5, height: 2)
        XCTAssertEqual(buffer.write("hello", x: 3, y: 0, style: style), 2, "cut at the right edge, with an ellipsis")
        XCTAssertEqual(buffer.textLines[0], "   h…")
        XCTAssertEqual(buffer.write("below", x: 0, y: 2, style: style), 0, "below the buffer")
        XCTAssertEqual(buffer.write("left", x: -2, y: 1, style: style), 4, "what falls left of the buffer is clipped")
        XCTAssertEqual(buffer.textLines[1], "ft   ")
        buffer.fill(Rect(x: -3, y: -3, width: 100, height: 100), character: "#", style: style)
        XCTAssertEqual(buffer.textLines, ["#####", "#####"])
    }

    func testTruncationEndsWithAnEllipsis() {
        var buffer = CellBuffer(width: 20, height: 1)
        XCTAssertEqual(buffer.write("companyOverview", x: 0, y: 0, maxWidth: 8, style: style), 8)
        XCTAssertEqual(buffer.textLines[0], "company…            ")
        var ascii = CellBuffer(width: 6, height: 1, ellipsis: "~")
        ascii.write("earnings", x: 0, y: 0, style: style)
        XCTAssertEqual(ascii.textLines[0], "earni~")
        var exact = CellBuffer(width: 8, height: 1)
        exact.write("earnings", x: 0, y: 0, style: style)
        XCTAssertEqual(exact.textLines[0], "earnings", "text that fits exactly is not cut")
    }

    func testAWideCharacterThatDoesNotFitBecomesABlank() {
        var buffer = CellBuffer(width: 3, height: 1)
        buffer.write("ab", x: 0, y: 0, style: style)
        buffer.put("株", x: 2, y: 0, style: style)
        XCTAssertEqual(buffer.textLines, ["ab "])
        var truncated = CellBuffer(width: 4, height: 1)
        truncated.write("株式会社", x: 0, y: 0, style: style)
        XCTAssertEqual(truncated.textLines, ["株… "], "cut before the wide character that would cross the limit")
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.write("株式", x: 0, y: 0, style: style)
        buffer.put("x", x: 1, y: 0, style: style)
        XCTAssertEqual(buffer.textLines, [" x式"])
        buffer.put("y", x: 2, y: 0, style: style)
        XCTAssertEqual(buffer.textLines, [" xy "])
        XCTAssertFalse(buffer[3, 0].isContinuation)
    }

    func testRestyleKeepsTheCharacters() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.write("abcd", x: 0, y: 0, style: style)
        buffer.restyle(Rect(x: 1, y: 0, width: 2, height: 1), style: CellStyle(.selection))
        XCTAssertEqual(buffer.textLines, ["abcd"])
        XCTAssertEqual(buffer.layer { $0.style.role == .selection ? "s" : "." }, [".ss."])
    }

    func testResetBlanksAndResizes() {
        var buffer = CellBuffer(width: 2, height: 1)
        buffer.write("ab", x: 0, y: 0, style: style)
        buffer.reset(width: 2, height: 1)
        XCTAssertEqual(buffer.textLines, ["  "])
        buffer.reset(width: 3, height: 2)
        XCTAssertEqual(buffer.textLines, ["   ", "   "])
    }
}
