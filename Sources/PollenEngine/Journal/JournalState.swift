import Foundation
import PollenDynamoDB

/// What a journal says a run has done: read back by `--resume`.
public struct JournalState: Sendable {
    public var header: JournalHeader
    /// Acknowledged item keys by (symbol, table).
    public var acknowledged: [String: [PollenTable: Set<String>]]
    /// Whether the run got to its end (a resume then only re-confirms the asset rows).
    public var finished: Bool

    /// Whether the item `key` of (`symbol`, `table`) was acknowledged.
    public func isAcknowledged(symbol: String, table: PollenTable, key: String) -> Bool {
        acknowledged[symbol]?[table]?.contains(key) ?? false
    }

    /// Reads a journal. A torn last line (the process was killed while writing it) is
    /// ignored: its batch was not yet counted as done, so it will be sent again. A whole line
    /// whose CRC-32 does not match is damage, and the journal is refused: trusting it could
    /// skip an item that was never written.
    public static func read(path: String) throws -> JournalState {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw JournalError.unreadable(path: path, reason: "no such file, or not readable")
        }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let decoder = JSONDecoder()
        var header: JournalHeader?
        var state: JournalState?
        for (index, line) in lines.enumerated() where !line.isEmpty {
            let isLast = index == lines.count - 1  // no newline after it: possibly torn
            guard let json = checkedJSON(Data(line)), let record = try? decoder.decode(JournalRecord.self, from: json) else {
                if isLast { break }
                throw JournalError.corrupt(path: path, line: index + 1)
            }
            switch record {
            case .run(let value):
                if header == nil {
                    header = value
                    state = JournalState(header: value, acknowledged: [:], finished: false)
                }
            case .acknowledged(let symbol, let table, let keys):
                state?.acknowledged[symbol, default: [:]][table, default: []].formUnion(keys)
            case .marked, .notSent:
                break  // an audit trail for operators: a resume writes whatever was not acknowledged, and re-marks every asset
            case .finished:
                state?.finished = true
            }
        }
        guard let state else { throw JournalError.noHeader(path: path) }
        return state
    }

    /// The JSON of a line whose checksum matches (or of a line from before checksums); `nil`
    /// for a damaged one.
    static func checkedJSON(_ line: Data) -> Data? {
        guard line.count > 9, line[line.endIndex - 9] == UInt8(ascii: " ") else {
            return line.last == UInt8(ascii: "}") ? line : nil
        }
        let json = line.prefix(line.count - 9)
        guard let stored = UInt32(String(decoding: line.suffix(8), as: UTF8.self), radix: 16),
              stored == CRC32.of(Data(json))
        else { return nil }
        return Data(json)
    }
}
