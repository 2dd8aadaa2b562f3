import Foundation

/// A Python server script started for a test: it must print `ready` (optionally followed by
/// its port) on stdout once it accepts connections; it is stopped with SIGTERM.
public final class PythonServer: @unchecked Sendable {
    public let port: Int
    private let process: Process

    public init(script: String, arguments: [String], port: Int, timeout: TimeInterval = 30) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", RepositoryPaths.path(script)] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = out.fileHandleForReading
        var buffer = ""
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            buffer += String(decoding: chunk, as: UTF8.self)
            if let line = buffer.split(separator: "\n").first(where: { $0.hasPrefix("ready") }) {
                let words = line.split(separator: " ")
                self.port = words.count > 1 ? Int(words[1]) ?? port : port
                return
            }
        }
        process.terminate()
        throw PythonServerError.didNotStart(script: script, output: buffer)
    }

    public var isRunning: Bool { process.isRunning }

    /// Stops the server and returns its exit status.
    /// Stops the server (SIGTERM, then SIGKILL after 15 s) and returns its exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            // Poll rather than waitUntilExit, which spins a run loop off the main thread.
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        while process.isRunning { usleep(20_000) }
        return process.terminationStatus
    }

    deinit {
        stop()
    }
}

public enum PythonServerError: Error, CustomStringConvertible {
    case didNotStart(script: String, output: String)
    public var description: String {
        switch self { case .didNotStart(let script, let output): return "\(script) did not print ready: \(output)" }
    }
}
