import Foundation
import PollenDynamoDB
import PollenSource

/// Turns validated source records into DynamoDB items exactly as CONTRACT section 1 says.
///
/// Every source field keeps its name; a value that is a decimal number becomes `N` (in
/// DynamoDB's canonical spelling, `+05.50` as `5.5`, digit by digit, never through `Double`), except fields that are text by nature (`CIK`, dates);
/// "no value" markers (`None`, `-`, `N/A`, ``) are left out. Pollen adds the keys,
/// `reportType`, `source`, `runId` and `ingestedAt`.
public struct ItemMapper: Sendable {
    public let runID: String
    /// `YYYY-MM-DDTHH:MM:SSZ`, the same for every item of one asset load.
    public let ingestedAt: String

    static let pollenAttributes: Set<String> = ["symbol", "reportKey", "reportType", "source", "runId", "ingestedAt"]

    public init(runID: String, ingestedAt: Date) {
        self.runID = runID
        self.ingestedAt = Timestamp.iso8601(ingestedAt)
    }

    /// One item ready to write, with what the engine needs to know about it.
    public struct MappedItem: Sendable {
        public var item: Item
        /// The sort key (`reportKey`), or the symbol for single-item tables.
        public var key: String
        public var bytes: Int
        public var writeUnits: Int { ItemSize.writeUnits(bytes: bytes) }
    }

    /// The outcome of mapping one record.
    public enum Mapping: Sendable {
        case item(MappedItem)
        case rejected(RecordRejection)
    }

    /// The item for `record`, or why it cannot be written.
    public func map(_ record: SourceRecord, symbol: String, function: SourceFunction) -> Mapping {
        let label = record.reportKey ?? symbol
        var item: Item = [:]
        item.reserveCapacity(record.fields.count + 6)
        let textFields = function.textFields
        for field in record.fields where field.hasValue {
            if field.name.isEmpty {  // DynamoDB refuses the whole batch over one
                return .rejected(RecordRejection(record: label, reason: "a field has an empty name, which DynamoDB cannot store"))
            }
            if Self.pollenAttributes.contains(field.name) { continue }
            if textFields.contains(field.name) {
                item[field.name] = .s(field.value)
            } else if let number = DynamoDBNumber.canonical(field.value) {
                item[field.name] = .n(number)
            } else if Self.looksNumeric(field.value) {
                return .rejected(RecordRejection(
                    record: label, reason: "field \(field.name) is a number DynamoDB cannot store (more than 38 significant digits or out of range)"))
            } else {
                item[field.name] = .s(field.value)
            }
        }
        item["symbol"] = .s(symbol)
        if let reportKey = record.reportKey, let reportType = record.reportType {
            item["reportKey"] = .s(reportKey)
            item["reportType"] = .s(reportType.rawValue)
        }
        item["source"] = .s("alphavantage")
        item["runId"] = .s(runID)
        item["ingestedAt"] = .s(ingestedAt)
        let bytes = ItemSize.of(item)
        guard bytes <= ItemSize.maxItemBytes else {
            return .rejected(RecordRejection(
                record: label, reason: "item is \(bytes) bytes, over DynamoDB's 400 KB (409,600 bytes) limit"))
        }
        return .item(MappedItem(item: item, key: label, bytes: bytes))
    }

    /// Decimal syntax (`-12.5e3`), whatever its size: a number, not text.
    static func looksNumeric(_ text: String) -> Bool {
        var sawDigit = false
        var index = text.utf8.startIndex
        let bytes = text.utf8
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            index = bytes.index(after: index)
        }
        var sawDot = false, sawExponent = false, sawExponentDigit = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
                if sawExponent { sawExponentDigit = true }
            case UInt8(ascii: ".") where !sawDot && !sawExponent: sawDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard sawDigit, !sawExponent else { return false }
                sawExponent = true
                let next = bytes.index(after: index)
                if next < bytes.endIndex, bytes[next] == UInt8(ascii: "-") || bytes[next] == UInt8(ascii: "+") {
                    index = next
                }
            default: return false
            }
            index = bytes.index(after: index)
        }
        return sawDigit && (!sawExponent || sawExponentDigit)
    }
}

/// ISO-8601 UTC timestamps as CONTRACT section 1 writes them: `YYYY-MM-DDTHH:MM:SSZ`.
public enum Timestamp {
    public static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
