import Foundation

/// Turns the body Alpha Vantage returned for one function and symbol into source records.
///
/// Strict and total: it never crashes and never throws. A payload that cannot be used at all
/// becomes `.failed` with a one-sentence reason, `{}` becomes `.noData`, and a single bad
/// report inside a usable payload becomes a `RecordRejection` while its siblings go on.
///
/// Checks run in the order Alpha Vantage documents: the symbol itself, valid JSON, an object,
/// empty object, `Error Message`, `Information`, `Note`, then the function's own shape.
/// Fields keep the key order of the file (see `JSONReader`); reports come out annual list
/// first, then quarterly, each in file order (newest first, as the source lists them).
///
/// A name repeated within one object is ambiguous: a report with one is rejected, a payload
/// whose top level has one fails.
///
/// Duplicates: the first report with a given `reportKey` claims it, even when that report is
/// rejected, so that an older copy never stands in for a newer one that failed validation;
/// every later report with that key is dropped and its key listed in `duplicates`.
public enum PayloadParser {
    /// How much of an Alpha Vantage error, information or note text goes into a message.
    public static let maxQuotedMessageLength = 200

    public static func parse(_ data: Data, function: SourceFunction, symbol: String) -> PayloadContent {
        let file = "\(function.fileName) for \(symbol)"
        guard SymbolRules.isValid(symbol) else { return invalidSymbol(symbol, function: function) }
        let value: JSONValue
        do {
            value = try JSONReader.read(data)
        } catch {
            return failure(.invalidJSON, "\(file) is not valid JSON (\(error.problem) at byte \(error.offset))")
        }
        guard case .object(let body) = value else {
            return failure(.wrongShape, "\(file) is \(value.typeDescription), not a JSON object")
        }
        if body.isEmpty { return .noData }
        if let text = body["Error Message"] { return failure(.errorMessage, "Alpha Vantage error: " + quoted(text)) }
        if let text = body["Information"] { return failure(.information, "Alpha Vantage information: " + quoted(text)) }
        if let text = body["Note"] { return failure(.note, "Alpha Vantage note: " + quoted(text)) }

        if let listKeys = function.reportListKeys {
            return parseReports(body, listKeys: listKeys, file: file, symbol: symbol)
        }
        return parseOverview(body, file: file, symbol: symbol)
    }

    /// The failure for a symbol that breaks `SymbolRules`, before anything is read for it.
    static func invalidSymbol(_ symbol: String, function: SourceFunction) -> PayloadContent {
        failure(.invalidSymbol, "\(function.fileName): symbol \(symbol) does not match \(SymbolRules.pattern)")
    }

    /// OVERVIEW: one flat object of strings whose `Symbol` is the asset's.
    private static func parseOverview(_ body: JSONObject, file: String, symbol: String) -> PayloadContent {
        if let repeated = body.repeatedNames.first {
            return failure(.wrongShape, "\(file): field \(repeated) appears more than once")
        }
        var fields: [SourceField] = []
        fields.reserveCapacity(body.members.count)
        for member in body.members {
            guard case .string(let text) = member.value else {
                return failure(.wrongShape, "\(file): field \(member.name) is \(member.value.typeDescription), not a string")
            }
            fields.append(SourceField(name: member.name, value: text))
        }
        guard let payloadSymbol = body["Symbol"] else { return failure(.wrongShape, "\(file) has no Symbol field") }
        if let mismatch = symbolMismatch(payloadSymbol, expected: symbol, file: file, field: "Symbol") {
            return mismatch
        }
        return .records(ParsedPayload(records: [SourceRecord(reportType: nil, fiscalDateEnding: nil, fields: fields)]))
    }

    /// EARNINGS and the three statements: `symbol` plus an annual and a quarterly list of reports.
    private static func parseReports(_ body: JSONObject, listKeys: (annual: String, quarterly: String),
                                     file: String, symbol: String) -> PayloadContent {
        if let repeated = body.repeatedNames.first {
            return failure(.wrongShape, "\(file): field \(repeated) appears more than once")
        }
        guard let payloadSymbol = body["symbol"] else { return failure(.wrongShape, "\(file) has no symbol field") }
        if let mismatch = symbolMismatch(payloadSymbol, expected: symbol, file: file, field: "symbol") {
            return mismatch
        }
        let annual = body[listKeys.annual]
        let quarterly = body[listKeys.quarterly]
        if annual == nil && quarterly == nil {
            return failure(.wrongShape, "\(file) has neither \(listKeys.annual) nor \(listKeys.quarterly)")
        }
        var lists: [(name: String, type: ReportType, elements: [JSONValue])] = []
        for (name, type, value) in [(listKeys.annual, ReportType.annual, annual),
                                    (listKeys.quarterly, ReportType.quarterly, quarterly)] {
            guard let value else { continue }
            guard case .array(let elements) = value else {
                return failure(.wrongShape, "\(file): \(name) is \(value.typeDescription), not an array")
            }
            lists.append((name, type, elements))
        }

        var payload = ParsedPayload(records: [])
        var claimedKeys: Set<String> = []
        for list in lists {
            for (index, element) in list.elements.enumerated() {
                let location = "\(list.name)[\(index)]"
                switch report(element, type: list.type, location: location) {
                case .accepted(let record, let key):
                    if claimedKeys.insert(key).inserted {
                        payload.records.append(record)
                    } else {
                        payload.duplicates.append(key)
                    }
                case .rejected(let rejection, let key):
                    if let key, !claimedKeys.insert(key).inserted {
                        payload.duplicates.append(key)
                    } else {
                        payload.reject(rejection)
                    }
                }
            }
        }
        return .records(payload)
    }

    private enum ReportOutcome {
        case accepted(SourceRecord, key: String)
        /// `key` is the report's `reportKey` when its `fiscalDateEnding` is a real date.
        case rejected(RecordRejection, key: String?)
    }

    /// One element of a report list: an object of strings with a real `fiscalDateEnding`.
    private static func report(_ element: JSONValue, type: ReportType, location: String) -> ReportOutcome {
        guard case .object(let object) = element else {
            let reason = "not an object but \(element.typeDescription)"
            return .rejected(RecordRejection(record: location, reason: reason), key: nil)
        }
        guard let dateValue = object["fiscalDateEnding"] else {
            return .rejected(RecordRejection(record: location, reason: "no fiscalDateEnding field"), key: nil)
        }
        guard case .string(let fiscalDateEnding) = dateValue else {
            let reason = "fiscalDateEnding is \(dateValue.typeDescription), not a string"
            return .rejected(RecordRejection(record: location, reason: reason), key: nil)
        }
        guard CalendarDate(fiscalDateEnding) != nil else {
            let reason = "fiscalDateEnding \(quotedValue(fiscalDateEnding)) is not a real YYYY-MM-DD date"
            return .rejected(RecordRejection(record: location, reason: reason), key: nil)
        }
        let key = "\(type.rawValue)#\(fiscalDateEnding)"
        if let repeated = object.repeatedNames.first {
            // Which of its values was meant, the text does not say (and a second fiscalDateEnding
            // would move the record to another key): nothing of it is written.
            return .rejected(RecordRejection(record: key, reason: "field \(repeated) appears more than once (\(location))"),
                             key: key)
        }
        var fields: [SourceField] = []
        fields.reserveCapacity(object.members.count)
        for member in object.members {
            guard case .string(let text) = member.value else {
                let reason = "field \(member.name) is \(member.value.typeDescription), not a string (\(location))"
                return .rejected(RecordRejection(record: key, reason: reason), key: key)
            }
            fields.append(SourceField(name: member.name, value: text))
        }
        return .accepted(SourceRecord(reportType: type, fiscalDateEnding: fiscalDateEnding, fields: fields), key: key)
    }

    /// `nil` when the payload's symbol field is the expected symbol, else the failure.
    private static func symbolMismatch(_ value: JSONValue, expected: String, file: String,
                                       field: String) -> PayloadContent? {
        guard case .string(let payloadSymbol) = value else {
            return failure(.wrongShape, "\(file): field \(field) is \(value.typeDescription), not a string")
        }
        guard payloadSymbol == expected else {
            return failure(.symbolMismatch,
                           "\(file) holds data for symbol \(quotedValue(payloadSymbol)), not \(expected)")
        }
        return nil
    }

    /// Alpha Vantage's own text on one line, at most `maxQuotedMessageLength` characters.
    private static func quoted(_ value: JSONValue) -> String {
        guard case .string(let text) = value else { return "(\(value.typeDescription) instead of text)" }
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard oneLine.count > maxQuotedMessageLength else { return oneLine }
        return oneLine.prefix(maxQuotedMessageLength) + "…"
    }

    /// A key-like value (a date or a symbol) in quotes, cut short if it is unreasonably long.
    private static func quotedValue(_ text: String) -> String {
        let limit = 40
        return "\"" + (text.count > limit ? text.prefix(limit) + "…" : text) + "\""
    }

    private static func failure(_ kind: PayloadFailure.Kind, _ message: String) -> PayloadContent {
        .failed(PayloadFailure(kind: kind, message: message))
    }
}
