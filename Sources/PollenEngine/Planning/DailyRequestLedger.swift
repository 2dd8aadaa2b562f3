import Crypto
import Foundation

/// The daily request budget of one Alpha Vantage key (`--fetch-per-day`), counted across the
/// runs on this machine: a small state file per key, named by a hash of the key (never the
/// key), holding the UTC day and the requests sent that day. Every request takes one under an
/// exclusive lock on the file, so two runs on the same day together stay within the budget.
public final class DailyRequestLedger: Sendable {
    /// The requests a key may send per UTC day.
    public let limit: Int
    /// The state file.
    public let path: String
    private let today: @Sendable () -> String

    /// - Parameters:
    ///   - directory: the user's state directory for Pollen (``stateDirectory(environment:)``).
    ///   - today: the current UTC day (`2026-12-01`); injected so tests can move to tomorrow.
    public init(apiKey: String, limit: Int, directory: String,
                today: @escaping @Sendable () -> String = { DailyRequestLedger.utcDay(Date()) }) {
        self.limit = limit
        let digest = SHA256.hash(data: Data(apiKey.utf8)).map { String(format: "%02x", $0) }.joined()
        path = directory + "/alphavantage-" + digest.prefix(16) + ".json"
        self.today = today
    }

    /// `$XDG_STATE_HOME/pollen`, else `~/.local/state/pollen` (`POLLEN_STATE_DIR` overrides both).
    public static func stateDirectory(environment: [String: String]) -> String {
        if let directory = environment["POLLEN_STATE_DIR"], !directory.isEmpty { return directory }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/pollen" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/pollen"
    }

    /// The UTC day of `date` (`2026-12-01`).
    public static func utcDay(_ date: Date) -> String {
        String(Timestamp.iso8601(date).prefix(10))
    }

    private struct Entry: Codable {
        var day: String
        var requests: Int
    }

    /// Takes one request from today's budget; `false` when it is used up (or the state file
    /// cannot be kept: the budget cannot be proven, so nothing more is sent).
    public func take() -> Bool {
        update { entry in
            guard entry.requests < limit else { return false }
            entry.requests += 1
            return true
        } ?? false
    }

    /// Requests left today, or `nil` when the state file cannot be read.
    public func remaining() -> Int? {
        update { entry in max(0, limit - entry.requests) }
    }

    /// Applies `change` to today's entry under an exclusive lock and writes it back.
    private func update<T>(_ change: (inout Entry) -> T) -> T? {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { return nil }
        defer { flock(descriptor, LOCK_UN) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
        let day = today()
        var entry = Entry(day: day, requests: 0)
        if let data = try? handle.readToEnd(), let stored = try? JSONDecoder().decode(Entry.self, from: data),
           stored.day == day {
            entry = stored
        }
        let result = change(&entry)
        guard let encoded = try? JSONEncoder().encode(entry),
              lseek(descriptor, 0, SEEK_SET) == 0, ftruncate(descriptor, 0) == 0,
              (try? handle.write(contentsOf: encoded)) != nil
        else { return nil }
        return result
    }
}
