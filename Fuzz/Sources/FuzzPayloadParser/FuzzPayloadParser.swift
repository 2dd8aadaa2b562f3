import CLibFuzzer
import Foundation
import PollenSource

// Input: one selector byte, then the payload bytes exactly as they would be read from disk or
// received from Alpha Vantage.
//   selector % 5        -> the SourceFunction (OVERVIEW, EARNINGS, CASH_FLOW, BALANCE_SHEET,
//                          INCOME_STATEMENT, in `SourceFunction.allCases` order)
//   (selector / 5) % 4  -> the requested symbol: IBM, BRK.B, 7203, A
// The seed corpus uses selectors 0...4 (symbol IBM).
//
// Oracle: PayloadParser.parse never traps, and what it returns keeps the promises its
// documentation makes (checked below), for every input.

private let functions = SourceFunction.allCases
private let symbols = ["IBM", "BRK.B", "7203", "A"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let selector = bytes.first else { return 0 }
    let function = functions[Int(selector) % functions.count]
    let symbol = symbols[(Int(selector) / functions.count) % symbols.count]
    let content = PayloadParser.parse(Data(bytes.dropFirst()), function: function, symbol: symbol)
    check(content, function: function, symbol: symbol)
    return 0
}

/// The documented shape of a parse result.
private func check(_ content: PayloadContent, function: SourceFunction, symbol: String) {
    switch content {
    case .noData:
        break
    case .failed(let failure):
        precondition(!failure.message.isEmpty, "a failure without a message")
    case .records(let payload):
        if function.reportListKeys == nil {
            // OVERVIEW: one record, no report type, its Symbol is the asset's.
            precondition(payload.records.count == 1 && payload.rejected.isEmpty && payload.duplicates.isEmpty)
            let record = payload.records[0]
            precondition(record.reportType == nil && record.fiscalDateEnding == nil)
            precondition(record.fields.contains { $0.name == "Symbol" && $0.value == symbol })
        } else {
            // Reports: each has a type and a real date, and report keys are unique.
            var keys: Set<String> = []
            for record in payload.records {
                precondition(record.reportType != nil, "a report without a report type")
                guard let date = record.fiscalDateEnding, let key = record.reportKey else {
                    preconditionFailure("a report without fiscalDateEnding")
                }
                precondition(CalendarDate(date) != nil, "a report whose fiscalDateEnding is not a real date")
                precondition(keys.insert(key).inserted, "two accepted reports with the same key")
                precondition(record.fields.contains { $0.name == "fiscalDateEnding" && $0.value == date })
            }
            for duplicate in payload.duplicates {
                precondition(keys.contains(duplicate) || payload.rejected.contains { $0.record == duplicate },
                             "a duplicate whose key was never claimed")
            }
        }
    }
}

/// SwiftPM links an executable target's entry point as `<Target>_main` (it renames `main` so
/// that tests can link executables); hand the process over to libFuzzer's own driver.
@_cdecl("FuzzPayloadParser_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput)
}
