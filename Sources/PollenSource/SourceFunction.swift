/// The five Alpha Vantage fundamentals functions Pollen backfills, one per data table.
public enum SourceFunction: String, Sendable, CaseIterable, Codable {
    case overview = "OVERVIEW"
    case earnings = "EARNINGS"
    case cashFlow = "CASH_FLOW"
    case balanceSheet = "BALANCE_SHEET"
    case incomeStatement = "INCOME_STATEMENT"

    /// The payload's file name in the directory layout of CONTRACT section 2.
    public var fileName: String { rawValue + ".json" }

    /// The JSON keys of the annual and quarterly report lists (`nil` for `OVERVIEW`).
    public var reportListKeys: (annual: String, quarterly: String)? {
        switch self {
        case .overview: return nil
        case .earnings: return ("annualEarnings", "quarterlyEarnings")
        case .cashFlow, .balanceSheet, .incomeStatement: return ("annualReports", "quarterlyReports")
        }
    }

    /// Fields that hold text even when the text is all digits (`CIK`, a ticker such as `7203`):
    /// they are never stored as numbers.
    public var textFields: Set<String> {
        switch self {
        case .overview:
            return ["Symbol", "AssetType", "Name", "Description", "CIK", "Exchange", "Currency", "Country", "Sector",
                    "Industry", "Address", "OfficialSite", "FiscalYearEnd", "LatestQuarter", "DividendDate",
                    "ExDividendDate"]
        case .earnings:
            return ["fiscalDateEnding", "reportedDate", "reportTime"]
        case .cashFlow, .balanceSheet, .incomeStatement:
            return ["fiscalDateEnding", "reportedCurrency"]
        }
    }
}

/// Whether a report is a fiscal year's or a quarter's.
public enum ReportType: String, Sendable, Codable, CaseIterable {
    case annual
    case quarterly
}

/// One field of a source record, exactly as Alpha Vantage sent it (all values are strings).
public struct SourceField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// The values that mean "no value" (CONTRACT section 1): such a field is left out of the item.
    public static let noValueMarkers: Set<String> = ["None", "-", "N/A", ""]

    /// Whether the value is data rather than one of `noValueMarkers`.
    public var hasValue: Bool { !Self.noValueMarkers.contains(value) }
}

/// One record of a payload: the overview, or one annual or quarterly report.
///
/// Parsing has already checked it: a report has a real `fiscalDateEnding`, every value is a string.
public struct SourceRecord: Sendable, Equatable {
    /// `nil` for the overview.
    public var reportType: ReportType?
    /// `YYYY-MM-DD`; `nil` for the overview.
    public var fiscalDateEnding: String?
    /// The fields in source order, "no value" markers (`None`, `-`, `N/A`, ``) included.
    public var fields: [SourceField]

    public init(reportType: ReportType?, fiscalDateEnding: String?, fields: [SourceField]) {
        self.reportType = reportType
        self.fiscalDateEnding = fiscalDateEnding
        self.fields = fields
    }

    /// `annual#<fiscalDateEnding>` or `quarterly#<fiscalDateEnding>`; `nil` for the overview.
    public var reportKey: String? {
        guard let reportType, let fiscalDateEnding else { return nil }
        return "\(reportType.rawValue)#\(fiscalDateEnding)"
    }
}

/// A record left out of a payload before any write, with the reason.
public struct RecordRejection: Sendable, Equatable, Codable {
    /// The record's `reportKey` when it has one, else where it was (`quarterlyReports[3]`).
    public var record: String
    public var reason: String

    public init(record: String, reason: String) {
        self.record = record
        self.reason = reason
    }
}

/// What one payload file holds for one asset and function.
public enum PayloadContent: Sendable, Equatable {
    /// Usable records, plus the records rejected and the duplicate keys dropped.
    case records(ParsedPayload)
    /// `{}`: the source has no data for this asset and function (the table is `nodata`).
    case noData
    /// The whole payload is unusable; the table fails for this asset with this reason.
    case failed(PayloadFailure)
}

/// The usable part of a payload.
public struct ParsedPayload: Sendable, Equatable {
    public var records: [SourceRecord]
    /// The first ``keptRejections`` records rejected, with their reasons (a file of a million
    /// bad records would otherwise fill memory and the report).
    public private(set) var rejected: [RecordRejection]
    /// How many records were rejected in all.
    public private(set) var rejectedCount: Int

    /// Rejections kept per payload, with their reasons; the rest are counted.
    public static let keptRejections = 20
    /// Report keys that appeared again after their first (newest) record; the later ones were dropped.
    public var duplicates: [String]

    public init(records: [SourceRecord], rejected: [RecordRejection] = [], duplicates: [String] = []) {
        self.records = records
        self.rejected = Array(rejected.prefix(Self.keptRejections))
        self.rejectedCount = rejected.count
        self.duplicates = duplicates
    }

    /// Counts a rejected record, keeping its reason while fewer than ``keptRejections`` are kept.
    public mutating func reject(_ rejection: RecordRejection) {
        rejectedCount += 1
        if rejected.count < Self.keptRejections { rejected.append(rejection) }
    }
}

/// Why a whole payload cannot be used.
public struct PayloadFailure: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// The kind of failure, for grouping in reports.
    public enum Kind: String, Sendable, Codable {
        case missingFile, unreadableFile, fileTooLarge, invalidJSON, wrongShape, symbolMismatch
        case errorMessage, information, note, invalidSymbol, fetchFailed
        /// The function needs a premium Alpha Vantage plan.
        case premiumOnly
        /// Never fetched: the key's daily limit or budget was reached first.
        case notFetched
        /// The API refused the key: nothing in the run can be fetched.
        case keyRefused
    }

    public var kind: Kind
    /// One sentence; it names files, fields and symbols, never values of the data.
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
