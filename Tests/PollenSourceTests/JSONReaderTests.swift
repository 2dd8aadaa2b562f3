import Foundation
@testable import PollenSource
import XCTest

final class JSONReaderTests: XCTestCase {
    private func read(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONReader.read(Data(text.utf8))
    }

    private func problem(_ bytes: [UInt8]) -> JSONSyntaxError? {
        do {
            _ = try JSONReader.read(Data(bytes))
            return nil
        } catch {
            return error
        }
    }

    private func problem(_ text: String) -> JSONSyntaxError? {
        problem(Array(text.utf8))
    }

    /// Texts RFC 8259 accepts; JSONSerialization must agree, so the reader is no looser or stricter.
    static let valid = [
        "0", "-0", "12", "-12.5", "1e5", "1E+5", "1.5e-3", "0.0", "true", "false", "null", #""""#, "[]", "{}",
        " \t\r\n[ 1 , 2 ]\n", #"{"a":{"b":[{"c":null}]}}"#, #""\u00e9\ud83d\ude00\n\/\b\f\r\t\"\\""#, #""é😀""#,
        #"{"a":1,"a":2}"#, "[[[[[]]]]]",
    ]

    /// Texts RFC 8259 refuses, with the reader's reason.
    static let invalid: [(text: String, problem: String)] = [
        ("", "unexpected end of input"),
        ("   ", "unexpected end of input"),
        ("01", "unexpected text after the JSON value"),
        ("-", "a number without digits"),
        ("-a", "a number without digits"),
        ("1.", "a number without digits after '.'"),
        ("1.e5", "a number without digits after '.'"),
        ("1e", "a number without digits in its exponent"),
        ("1e+", "a number without digits in its exponent"),
        ("+1", "unexpected character"),
        (".5", "unexpected character"),
        ("[1,]", "unexpected character"),
        ("[1 2]", "expected ',' or ']' in an array"),
        ("[1", "expected ',' or ']' in an array"),
        ("{,}", "expected a member name in quotes"),
        ("{\"a\":1,}", "expected a member name in quotes"),
        ("{a:1}", "expected a member name in quotes"),
        ("{'a':1}", "expected a member name in quotes"),
        ("{\"a\" 1}", "expected ':' after a member name"),
        ("{\"a\":1 \"b\":2}", "expected ',' or '}' in an object"),
        ("{\"a\":", "unexpected end of input"),
        ("tru", "unexpected character"),
        ("nul", "unexpected character"),
        ("falsy", "unexpected character"),
        ("{} x", "unexpected text after the JSON value"),
        ("\"abc", "unterminated string"),
        ("\"a\\u00e9bc", "unterminated string"),
        ("\"a\\", "unterminated string"),
        ("\"\t\"", "control character in a string"),
        ("\"\\u00e9\n\"", "control character in a string"),
        ("\"\\x\"", "invalid escape sequence"),
        ("\"\\u12\"", "invalid \\u escape"),
        ("\"\\u12", "unterminated \\u escape"),
        ("\"\\ud800\"", "unpaired UTF-16 surrogate in a \\u escape"),
        ("\"\\ud800\\u0041\"", "unpaired UTF-16 surrogate in a \\u escape"),
        ("\"\\udc00\"", "unpaired UTF-16 surrogate in a \\u escape"),
    ]

    func testValidTexts() throws {
        for text in Self.valid {
            XCTAssertNil(problem(text), text)
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed), text)
        }
    }

    /// Trailing commas, which JSONSerialization lets through on Linux although RFC 8259 does not.
    static let trailingCommas = ["[1,]", "{\"a\":1,}"]

    func testInvalidTextsNameTheProblem() {
        for (text, expected) in Self.invalid {
            XCTAssertEqual(problem(text)?.problem, expected, text)
            if !Self.trailingCommas.contains(text) {
                XCTAssertThrowsError(try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed),
                                     text)
            }
        }
    }

    func testOffsetPointsAtTheProblem() {
        XCTAssertEqual(problem("[1, 2, x]"), JSONSyntaxError(offset: 7, problem: "unexpected character"))
    }

    func testStringsAreDecoded() throws {
        XCTAssertEqual(try read(#""\u00e9\ud83d\ude00\n\/\b\f\r\t\"\\""#), .string("é😀\n/\u{08}\u{0C}\r\t\"\\"))
        XCTAssertEqual(try read(#""Zürich""#), .string("Zürich"))
        XCTAssertEqual(try read(#""a\u0000b""#), .string("a\u{0}b"))
        XCTAssertEqual(try read(#""\uD83D\uDE00""#), .string("😀"))
    }

    func testInvalidUTF8IsRefused() {
        XCTAssertEqual(problem([0x22, 0x61, 0xFF, 0x22])?.problem, "a string that is not valid UTF-8")
        XCTAssertEqual(problem([0x22, 0xC3, 0x22])?.problem, "a string that is not valid UTF-8")
        XCTAssertEqual(problem([0x22, 0x5C, 0x6E, 0xED, 0xA0, 0x80, 0x22])?.problem, "a string that is not valid UTF-8")
    }

    func testAUTF8ByteOrderMarkIsSkipped() throws {
        XCTAssertEqual(try JSONReader.read(Data([0xEF, 0xBB, 0xBF] + Array("{}".utf8))), .object(JSONObject(members: [])))
    }

    func testObjectsKeepTextOrder() throws {
        guard case .object(let object) = try read(#"{"z": "1", "a": 2, "m": [true, null], "z": "3"}"#) else {
            return XCTFail("not an object")
        }
        XCTAssertEqual(object.members.map(\.name), ["z", "a", "m"])
        XCTAssertEqual(object.repeatedNames, ["z"], "a repeated name is listed: its value is ambiguous")
        XCTAssertEqual(object["z"], .string("3"))
        XCTAssertEqual(object["a"], .number)
        XCTAssertEqual(object["m"], .array([.bool, .null]))
        XCTAssertNil(object["missing"])
    }

    func testNestingIsLimited() {
        let deepest = String(repeating: "[", count: JSONReader.maxDepth) + String(repeating: "]", count: JSONReader.maxDepth)
        XCTAssertNil(problem(deepest))
        let tooDeep = String(repeating: "[", count: JSONReader.maxDepth + 1)
            + String(repeating: "]", count: JSONReader.maxDepth + 1)
        XCTAssertEqual(problem(tooDeep)?.problem, "nested deeper than 512 levels")
        let deepObjects = String(repeating: #"{"a":"#, count: 100_000)
        XCTAssertEqual(problem(deepObjects)?.problem, "nested deeper than 512 levels")
    }
}
