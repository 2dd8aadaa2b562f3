import Foundation
import PollenEngine
import PollenSource
import Synchronization

/// An ``AssetSource`` that answers with chosen payloads: a closure per (symbol, function), and
/// a record of every load. Builders make records without JSON files.
public final class ScriptedAssetSource: AssetSource {
    public typealias Script = @Sendable (_ symbol: String, _ function: SourceFunction) -> PayloadContent

    public let sourceDescription: String
    private let script: Script
    private let loads = Mutex<[(symbol: String, function: SourceFunction)]>([])

    public init(description: String = "scripted", _ script: @escaping Script) {
        self.sourceDescription = description
        self.script = script
    }

    public func load(symbol: String, function: SourceFunction) async -> PayloadContent {
        loads.withLock { $0.append((symbol, function)) }
        return script(symbol, function)
    }

    /// Every load so far, in order.
    public var loaded: [(symbol: String, function: SourceFunction)] { loads.withLock { $0 } }

    // MARK: - Record builders

    /// The overview record with `fields` (name, value) in order.
    public static func overview(_ fields: [(String, String)]) -> SourceRecord {
        SourceRecord(reportType: nil, fiscalDateEnding: nil, fields: fields.map { SourceField(name: $0.0, value: $0.1) })
    }

    /// A report of `type` for `date` (`fiscalDateEnding` first, then `fields`).
    public static func report(_ type: ReportType, _ date: String, _ fields: [(String, String)] = []) -> SourceRecord {
        SourceRecord(reportType: type, fiscalDateEnding: date,
                     fields: [SourceField(name: "fiscalDateEnding", value: date)] + fields.map { SourceField(name: $0.0, value: $0.1) })
    }

    /// `count` quarterly reports, newest first, ending `2024-12-31`, `2024-09-30`, ...
    public static func quarterlyReports(_ count: Int, fields: [(String, String)] = [("reportedCurrency", "USD"), ("totalRevenue", "1000")]) -> [SourceRecord] {
        let ends = ["12-31", "09-30", "06-30", "03-31"]
        return (0..<count).map { index in
            report(.quarterly, "\(2024 - index / 4)-\(ends[index % 4])", fields)
        }
    }
}
