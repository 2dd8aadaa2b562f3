import Foundation

/// Runs a program to completion and captures what it printed.
public struct ProcessResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
    /// Everything printed, both streams.
    public var output: String { stdout + stderr }
}

public enum ProcessRunner {
    /// Runs `executable` with `arguments`; `environment` entries are added to (or, with a nil
    /// value, removed from) this process's environment.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String?] = [:],
                           stdin: String? = nil, currentDirectory: String? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so neither fills up and blocks the child.
        let outData = Mutexed<Data>(Data())
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            outData.set(out.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()  // the pipes are closed: the process has ended or is about to
        return ProcessResult(exitCode: process.terminationStatus,
                             stdout: String(decoding: outData.get(), as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A value shared between threads behind a lock.
final class Mutexed<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
