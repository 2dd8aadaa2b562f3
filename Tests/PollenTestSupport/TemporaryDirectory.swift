import Foundation

/// A fresh directory under the system temporary directory, removed when released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(prefix: String = "pollen-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `relative` (creating folders) and returns its path.
    @discardableResult
    public func write(_ text: String, to relative: String) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    deinit {
        // POLLEN_TEST_KEEP=1 keeps it, to read a failed test's run directory afterwards.
        if ProcessInfo.processInfo.environment["POLLEN_TEST_KEEP"] != nil { return }
        try? FileManager.default.removeItem(at: url)
    }
}
