import CLibFuzzer
import Foundation
import PollenDynamoDB

// Input: the DynamoDB JSON text of one attribute value (`{"S":"text"}`, `{"M":{...}}`, ...),
// exactly as it arrives inside a response.
//
// Oracle: `AttributeValue(jsonData:)` never traps (it throws on bad input), and a value it
// accepts survives the trip back: when `jsonData()` can write it (it refuses sets with
// repeated members, as DynamoDB does), reading that text again gives the same value.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(UnsafeRawBufferPointer(start: start, count: count))
    guard let value = try? AttributeValue(jsonData: data) else { return 0 }
    _ = value.typeName
    guard let written = try? value.jsonData() else { return 0 }
    let reread: AttributeValue
    do {
        reread = try AttributeValue(jsonData: written)
    } catch {
        preconditionFailure("jsonData() wrote text that AttributeValue(jsonData:) refuses: \(error)")
    }
    precondition(reread == value, "the value changed on a write and read round trip")
    return 0
}

/// SwiftPM links an executable target's entry point as `<Target>_main`; hand over to libFuzzer.
@_cdecl("FuzzAttributeValue_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput)
}
