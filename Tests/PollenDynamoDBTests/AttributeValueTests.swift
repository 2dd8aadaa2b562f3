import Foundation
import XCTest
@testable import PollenDynamoDB

final class AttributeValueTests: XCTestCase {
    func roundTrip(_ value: AttributeValue, file: StaticString = #filePath, line: UInt = #line) throws {
        let decoded = try AttributeValue(jsonData: try value.jsonData())
        XCTAssertEqual(decoded, value, file: file, line: line)
    }

    func json(_ value: AttributeValue) throws -> Any {
        try JSONSerialization.jsonObject(with: try value.jsonData())
    }

    func testEveryTypeRoundTripsExactly() throws {
        let values: [AttributeValue] = [
            .s("Apple Inc. — “quoted” \\ backslash\n\t\u{1} control é 日本"),
            .s(""),
            .n("12345678901234567890123456789012345678"),
            .n("-0.000000000000000000000000000000000001"),
            .n("1.5E+10"),
            .b(Data([0, 1, 2, 254, 255])),
            .bool(true), .bool(false),
            .null,
            .m(["inner": .m(["deep": .l([.n("1"), .s("x"), .null])]), "empty": .m([:])]),
            .l([]),
            .ss(["a", "b"]),
            .ns(["1", "2.50", "-3"]),
            .bs([Data([1]), Data([2, 3])]),
        ]
        for value in values { try roundTrip(value) }
    }

    func testWireShapes() throws {
        XCTAssertEqual(try json(.s("x")) as? [String: String], ["S": "x"])
        XCTAssertEqual(try json(.n("007.50")) as? [String: String], ["N": "007.50"], "number text is kept as given")
        XCTAssertEqual(try json(.b(Data("hi".utf8))) as? [String: String], ["B": "aGk="])
        XCTAssertEqual(try json(.null) as? [String: Bool], ["NULL": true])
        XCTAssertEqual(try json(.bool(false)) as? [String: Bool], ["BOOL": false])
        XCTAssertEqual(try json(.ns(["1"])) as? [String: [String]], ["NS": ["1"]])
    }

    func testThirtyEightDigitNumbersSurviveWhereDoubleWouldNot() throws {
        let digits = "98765432109876543210987654321098765432"
        let decoded = try AttributeValue(jsonData: Data(#"{"N":"\#(digits)"}"#.utf8))
        XCTAssertEqual(decoded.numberValue, digits)
        XCTAssertNotEqual(String(format: "%.0f", Double(digits)!), digits)
    }

    func testNumberRules() {
        for valid in ["0", "-0", "+1", "1.", ".5", "1e5", "1E-130", "9.9999999999999999999999999999999999999E+125",
                      "0.00000", "100000000000000000000000000000000000000000000000"] {
            XCTAssertTrue(DynamoDBNumber.isValid(valid), valid)
        }
        for invalid in ["", "-", ".", "1e", "1e+", "abc", "1,5", "NaN", "Infinity", "0x10", " 1", "1 ",
                        "123456789012345678901234567890123456789", "1E-131", "1E+126", "--1"] {
            XCTAssertFalse(DynamoDBNumber.isValid(invalid), invalid)
        }
        XCTAssertNil(AttributeValue.number("12a"))
        XCTAssertEqual(AttributeValue.number("12"), .n("12"))
    }

    /// `+5`, `1.` and 44 characters of zero-padded digits were sent as they came; parsers differ
    /// on such spellings. What Pollen sends is the canonical one, of the same value.
    func testNumbersAreSentInCanonicalForm() {
        let cases = [
            ("+5", "5"), ("1.", "1"), (".5", "0.5"), ("-.5", "-0.5"), ("007", "7"), ("5.50", "5.5"), ("-0", "0"),
            ("-0.000", "0"), ("0e10", "0"), ("1.50E+03", "1.5E3"), ("1e-05", "1E-5"), ("2E0", "2"), ("100", "100"),
            ("-1605000000", "-1605000000"), ("0.5312", "0.5312"), ("1.5E-7", "1.5E-7"),
            (String(repeating: "0", count: 41) + "123", "123"),
            ("98765432109876543210987654321098765432", "98765432109876543210987654321098765432"),
        ]
        for (text, canonical) in cases {
            XCTAssertEqual(DynamoDBNumber.canonical(text), canonical, text)
            XCTAssertEqual(DynamoDBNumber.canonical(canonical), canonical, "\(canonical) is its own canonical form")
        }
        XCTAssertNil(DynamoDBNumber.canonical("1E+126"))
        XCTAssertNil(DynamoDBNumber.canonical("abc"))
    }

    func testEncodingRejectsWhatDynamoDBRejects() {
        XCTAssertThrowsError(try AttributeValue.ss([]).jsonData()) { XCTAssertEqual($0 as? AttributeValueError, .emptySet(attribute: "value")) }
        XCTAssertThrowsError(try AttributeValue.ns([]).jsonData())
        XCTAssertThrowsError(try AttributeValue.bs([]).jsonData())
        XCTAssertThrowsError(try AttributeValue.ss(["a", "a"]).jsonData()) {
            XCTAssertEqual($0 as? AttributeValueError, .duplicateInSet(attribute: "value"))
        }
        XCTAssertThrowsError(try AttributeValue.n("1,000").jsonData()) {
            XCTAssertEqual($0 as? AttributeValueError, .invalidNumber(attribute: "value"))
        }
        XCTAssertThrowsError(try AttributeValue.m(["a": .l([.ns(["x"])])]).jsonData()) {
            XCTAssertEqual($0 as? AttributeValueError, .invalidNumber(attribute: "value.a[0]"), "the error names the path")
        }
    }

    func testDecodingRejectsMalformedValues() {
        for bad in [#"{}"#, #"{"S":"a","N":"1"}"#, #"{"X":"a"}"#, #"{"N":"abc"}"#, #"{"SS":[]}"#, #"{"NS":[]}"#,
                    #"{"BS":[]}"#, #"{"B":"***"}"#, #"{"NULL":false}"#, #"{"S":1}"#, #"{"NS":["1","x"]}"#, #"[]"#] {
            XCTAssertThrowsError(try AttributeValue(jsonData: Data(bad.utf8)), bad)
        }
    }

    func testErrorsNameAttributesNeverValues() {
        let error = AttributeValueError.invalidNumber(attribute: "totalRevenue")
        XCTAssertTrue(error.description.contains("totalRevenue"))
        XCTAssertEqual(AttributeValue.s("x").typeName, "S")
        XCTAssertEqual(AttributeValue.bs([Data()]).typeName, "BS")
    }

    func testItemsEncodeAsObjects() throws {
        var writer = JSONWriter()
        try Item.write(["symbol": .s("IBM"), "n": .n("1")], to: &writer)
        let object = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: [String: String]]
        XCTAssertEqual(object?["symbol"], ["S": "IBM"])
        XCTAssertEqual(object?["n"], ["N": "1"])
    }
}
