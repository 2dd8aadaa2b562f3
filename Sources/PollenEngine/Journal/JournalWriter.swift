import Foundation
import PollenDynamoDB
import Synchronization

/// Appends journal records durably: a record counts only once it is on disk (`fsync`).
///
/// Each line is the record's JSON, a space and its CRC-32 in hex, so that a changed
/// character is found on resume. A torn last line (the process was killed while writing it)
/// is cut off before anything is appended, so the journal stays readable.
///
/// Records that arrive while a write is under way are written and synced together with
/// the next one (group commit), so a busy run pays one `fsync` per round, not per batch.
public final class JournalWriter: Sendable {
    private struct State {
        var pending: [(line: Data, continuation: CheckedContinuation<Void, Error>)] = []
        var writing = false
        var failure: String?
    }

    public let path: String
    /// Bytes of a torn last line cut off when the journal was opened (0: none).
    public let droppedTornBytes: Int
    private let descriptor: Int32
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "pollen.journal")

    /// Opens `path` for appending, creating it (and its folder) if needed.
    public init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw JournalError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        do {
            droppedTornBytes = try Self.cutTornTail(descriptor: descriptor, path: path)
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// Truncates the file after its last line break; returns how many bytes that dropped.
    private static func cutTornTail(descriptor: Int32, path: String) throws -> Int {
        let size = lseek(descriptor, 0, SEEK_END)
        guard size > 0 else { return 0 }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError.cannotOpen(path: path, reason: "cannot be read back")
        }
        guard data.last != UInt8(ascii: "\n") else { return 0 }
        let keep = (data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        guard ftruncate(descriptor, off_t(keep)) == 0, fsync(descriptor) == 0 else {
            throw JournalError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        return data.count - keep
    }

    /// The line for `record`: its JSON, a space, its CRC-32 in eight hex digits, a line break.
    static func line(for record: JournalRecord) throws -> Data {
        var line = try JSONEncoder().encode(record)
        let checksum = String(CRC32.of(line), radix: 16)
        line.append(contentsOf: Array((" " + String(repeating: "0", count: 8 - checksum.count) + checksum + "\n").utf8))
        return line
    }

    deinit {
        close(descriptor)
    }

    /// Returns once `record` is durably on disk.
    public func append(_ record: JournalRecord) async throws {
        let line = try Self.line(for: record)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let (startWriter, failure) = state.withLock { state -> (Bool, String?) in
                if let failure = state.failure { return (false, failure) }
                state.pending.append((line, continuation))
                if state.writing { return (false, nil) }
                state.writing = true
                return (true, nil)
            }
            if let failure {
                continuation.resume(throwing: JournalError.writeFailed(path: path, reason: failure))
            } else if startWriter {
                queue.async { self.drain() }
            }
        }
    }

    private func drain() {
        while true {
            let batch = state.withLock { state -> [(line: Data, continuation: CheckedContinuation<Void, Error>)] in
                let batch = state.pending
                state.pending.removeAll()
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            var bytes = Data()
            for entry in batch { bytes.append(entry.line) }
            let failure = write(bytes)
            if let failure {
                state.withLock { $0.failure = failure }
                for entry in batch { entry.continuation.resume(throwing: JournalError.writeFailed(path: path, reason: failure)) }
            } else {
                for entry in batch { entry.continuation.resume() }
            }
        }
    }

    /// Writes all of `bytes` and syncs; returns why it failed, if it did.
    private func write(_ bytes: Data) -> String? {
        let failure: String? = bytes.withUnsafeBytes { buffer -> String? in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += written
            }
            return nil
        }
        if let failure { return failure }
        return fsync(descriptor) == 0 ? nil : String(cString: strerror(errno))
    }
}

/// Why the journal cannot be written or read.
public enum JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    case unreadable(path: String, reason: String)
    case corrupt(path: String, line: Int)
    case noHeader(path: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "Cannot open the journal \(path): \(reason)."
        case .writeFailed(let path, let reason): return "Cannot write the journal \(path): \(reason)."
        case .unreadable(let path, let reason): return "Cannot read the journal \(path): \(reason)."
        case .corrupt(let path, let line): return "The journal \(path) is corrupt at line \(line)."
        case .noHeader(let path): return "\(path) is not a pollen journal (it has no run header)."
        }
    }
}
