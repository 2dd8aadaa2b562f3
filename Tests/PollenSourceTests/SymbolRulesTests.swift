import PollenSource
import XCTest

final class SymbolRulesTests: XCTestCase {
    func testValidSymbols() {
        for symbol in ["IBM", "A", "7203", "BRK.B", "BRK-B", "RDS.A-X", "ABCDEFGHIJKL", "0", "9A"] {
            XCTAssertTrue(SymbolRules.isValid(symbol), symbol)
        }
    }

    func testInvalidSymbols() {
        for symbol in ["", "ibm", "Ibm", ".IBM", "-IBM", "ABCDEFGHIJKLM", "IBM ", " IBM", "IB M", "IBM/", "../IBM",
                       "IBM_", "ÍBM", "IBM\n", "I\u{0}BM", "ＩＢＭ"] {
            XCTAssertFalse(SymbolRules.isValid(symbol), symbol)
        }
    }

    func testPatternIsTheContractsPattern() {
        XCTAssertEqual(SymbolRules.pattern, #"^[A-Z0-9][A-Z0-9.\-]{0,11}$"#)
        XCTAssertEqual(SymbolRules.maxLength, 12)
    }
}
