import Foundation

/// Drives the real `pollen` binary against a local DynamoDB for end-to-end tests: tables,
/// asset rows, sample data, backfill runs, and boto3 read-backs of what landed.
public final class BackfillHarness: @unchecked Sendable {
    public let server: LocalDynamoDB
    public let prefix: String
    public let workspace = TemporaryDirectory(prefix: "pollen-backfill")

    /// Starts a local DynamoDB with `serverArguments` and creates the six tables under a
    /// fresh prefix (`provisionedWCU` makes them provisioned with that capacity; `tableOptions`
    /// go to `pollen tables create` as they are).
    public convenience init(serverArguments: [String] = [], provisionedWCU: Int? = nil, tableOptions: [String] = []) throws {
        try self.init(server: try LocalDynamoDB(arguments: serverArguments), provisionedWCU: provisionedWCU,
                      tableOptions: tableOptions)
    }

    /// A second set of tables (and its own workspace) on a server another harness started.
    public init(server: LocalDynamoDB, provisionedWCU: Int? = nil, tableOptions: [String] = []) throws {
        self.server = server
        prefix = "t\(UUID().uuidString.prefix(6).lowercased())_"
        var create = ["tables", "create"] + tableOptions
        if let provisionedWCU { create += ["--billing", "provisioned", "--wcu", String(provisionedWCU), "--rcu", "100"] }
        try check(pollen(create))
    }

    public var sourceDirectory: String { workspace.path + "/source" }
    public var runsDirectory: String { workspace.path + "/runs" }

    /// Runs `pollen` with the server's endpoint, dummy credentials and the table prefix.
    /// What every pollen started here sees: the local DynamoDB, the table prefix, and a state
    /// directory of the test's own (the Alpha Vantage daily budget is counted there, never in
    /// the user's).
    public var pollenEnvironment: [String: String?] {
        server.environment.merging(["POLLEN_TABLE_PREFIX": prefix, "POLLEN_STATE_DIR": workspace.path + "/state"]) { $1 }
    }

    public func pollen(_ arguments: [String], environment: [String: String?] = [:]) throws -> ProcessResult {
        try ProcessRunner.run(RepositoryPaths.pollenExecutable, arguments,
                              environment: pollenEnvironment.merging(environment) { $1 })
    }

    /// Starts `pollen` without waiting (for kill tests).
    public func startPollen(_ arguments: [String]) throws -> Process {
        let process = pollenProcess(executable: RepositoryPaths.pollenExecutable, arguments)
        try process.run()
        return process
    }

    /// Starts one `pollen` per argument list at the same moment, as runs an operator starts
    /// "together": each waits (polling every 10 ms) for a start file that appears once all are
    /// launched, so their start times differ by milliseconds, not by how long each took to launch.
    public func startPollenTogether(_ argumentLists: [[String]]) throws -> [Process] {
        let gate = workspace.path + "/start-\(UUID().uuidString.prefix(6))"
        let processes = try argumentLists.map { arguments in
            let process = pollenProcess(executable: "/bin/sh", ["-c", "while [ ! -e \"$0\" ]; do sleep 0.01; done; exec \"$@\"",
                                                                 gate, RepositoryPaths.pollenExecutable] + arguments)
            try process.run()
            return process
        }
        usleep(300_000)
        guard FileManager.default.createFile(atPath: gate, contents: nil) else {
            throw HarnessError.commandFailed("could not create the start file \(gate)")
        }
        return processes
    }

    /// The acknowledgements (`ack` lines) the journal at `path` holds now.
    public static func acknowledgements(in journal: String) -> Int {
        ((try? String(contentsOfFile: journal, encoding: .utf8))?.components(separatedBy: #""type":"ack""#).count ?? 1) - 1
    }

    /// Waits (at most 60 s) until the journal at `path` holds more than `count` acknowledgements,
    /// or `process` has ended: the moment to interrupt or kill a run part way.
    public func waitForAcknowledgements(in journal: String, moreThan count: Int, of process: Process) {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning, Self.acknowledgements(in: journal) <= count { usleep(2_000) }
    }

    private func pollenProcess(executable: String, _ arguments: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in pollenEnvironment { environment[key] = value }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return process
    }

    @discardableResult
    public func check(_ result: ProcessResult, file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        guard result.exitCode == 0 else { throw HarnessError.commandFailed(result.output) }
        return result
    }

    /// Writes sample data for `assets` made-up symbols and returns them.
    public func sampleData(assets: Int, seed: Int = 7) throws -> [String] {
        let result = try check(pollen(["sample-data", "--out", sourceDirectory, "--assets", String(assets),
                                       "--seed", String(seed), "--print-symbols"]))
        return result.stdout.split(separator: "\n").map(String.init)
    }

    public func register(_ symbols: [String]) throws {
        try check(pollen(["assets", "add"] + symbols))
    }

    /// Runs a backfill from the sample data with `--ui json` into a fresh run directory.
    public func backfill(_ extra: [String] = [], runName: String = UUID().uuidString) throws -> BackfillRun {
        let runDirectory = runsDirectory + "/" + runName
        let result = try pollen(["backfill", "--source", sourceDirectory, "--ui", "json", "--run-dir", runDirectory] + extra)
        return BackfillRun(result: result, runDirectory: runDirectory)
    }

    /// Every item of a data table, keyed by `symbol#reportKey`, with `runId` and
    /// `ingestedAt` removed (they differ between runs by design), read with boto3.
    public func dump(_ table: String) throws -> [String: [String: Any]] {
        let snippet = """
            import json
            items = {}
            kwargs = {"TableName": args["table"], "ConsistentRead": True}
            while True:
                page = ddb.scan(**kwargs)
                for item in page["Items"]:
                    key = item["symbol"]["S"] + "#" + item.get("reportKey", {}).get("S", "")
                    if key in items:
                        raise SystemExit("duplicate key " + key)
                    item.pop("runId", None); item.pop("ingestedAt", None)
                    items[key] = item
                if "LastEvaluatedKey" not in page:
                    break
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
            emit(items)
            """
        return try Boto3.run(snippet, endpoint: server.endpoint, args: ["table": prefix + table]) as? [String: [String: Any]] ?? [:]
    }

    /// The structured log of a run (`events.jsonl`), one object per event.
    public func events(of run: BackfillRun, named name: String? = nil) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: run.runDirectory + "/events.jsonl", encoding: .utf8)
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }.filter { name == nil || $0["event"] as? String == name }
    }

    /// The asset row of `symbol`, read with boto3 (consistent read), in DynamoDB JSON.
    public func assetRow(_ symbol: String) throws -> [String: Any]? {
        let snippet = """
            item = ddb.get_item(TableName=args["table"], Key={"symbol": {"S": args["symbol"]}}, ConsistentRead=True).get("Item")
            emit(item)
            """
        return try Boto3.run(snippet, endpoint: server.endpoint, args: ["table": prefix + "assets", "symbol": symbol])
            as? [String: Any]
    }

}

/// One finished backfill: its process result, the parsed JSON lines and the report.
public struct BackfillRun {
    public var result: ProcessResult
    public var runDirectory: String

    public var exitCode: Int32 { result.exitCode }

    /// The `--ui json` lines of stdout.
    public var lines: [[String: Any]] {
        result.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// The last line: the summary.
    public var summary: [String: Any]? { lines.last }

    public var report: [String: Any]? {
        guard let data = FileManager.default.contents(atPath: runDirectory + "/report.json") else { return nil }
        return try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    }
}

public enum HarnessError: Error, CustomStringConvertible {
    case commandFailed(String)
    public var description: String {
        switch self { case .commandFailed(let output): return "pollen failed:\n\(output)" }
    }
}
