import Foundation
import PollenAWS
import PollenCloudWatch
import PollenDynamoDB
import PollenEngine
import PollenHTTP

/// Starts one engine run with everything around it: the run directory and its events log,
/// CloudWatch metrics (`--metrics cloudwatch`), and the output the caller watches with.
/// Shared by plain and JSON output and by the console's runs and re-runs.
struct BackfillLauncher {
    let command: BackfillCommand
    let client: DynamoDBClient

    /// A run under way: its engine (for pause, drain and the capacity cap) and its outcome.
    struct Launched {
        let engine: BackfillEngine
        let files: RunFiles
        let result: Task<BackfillEngine.Result, Never>
    }

    var cap: WriteRateController.Cap {
        WriteRateController.Cap(capacityPercent: command.maxCapacityPercent, maxUnitsPerSecond: command.maxWCU)
    }

    /// Starts `setup`'s run; `cap` (the live cap a console re-run carries over) replaces the
    /// command line's.
    func launch(_ setup: BackfillSetup, files: RunFiles, output: any EventSink,
                cap: WriteRateController.Cap? = nil) throws -> Launched {
        let eventsFile = try files.prepare()
        var configuration = BackfillConfiguration(
            runID: setup.runID, tablePrefix: setup.tablePrefix, concurrency: command.concurrency,
            retryPolicy: RetryPolicy(maxAttempts: command.maxAttempts, stallSeconds: command.stallTimeout), capacityCap: cap ?? self.cap,
            endpoint: client.settings.endpoint.absoluteString, region: client.settings.region,
            reportPath: files.report, journalPath: files.journal, eventsPath: files.events, runDirectory: files.directory,
            capacityRefreshInterval: command.describeInterval)
        configuration.leasing = BackfillConfiguration.Leasing(host: Self.hostName, waitForLeases: command.waitForLeases,
                                                              duration: command.leaseSeconds,
                                                              skewAllowance: command.leaseClockSkew,
                                                              predecessors: setup.predecessors)
        let cloudWatch = try makeCloudWatchMetrics()
        let engine = BackfillEngine(
            client: client, source: setup.source, plan: setup.plan, configuration: configuration,
            sink: EventFanOut([JSONLinesSink(handle: eventsFile), output] + (cloudWatch.map { [$0] } ?? [])),
            resume: setup.resume)
        let result = Task {
            let publisher = cloudWatch.map { metrics in Task { await metrics.publishPeriodically() } }
            let result = await engine.run()
            publisher?.cancel()
            if let cloudWatch {
                await cloudWatch.flush()
                for failure in cloudWatch.publishFailures { StandardStreams.err("pollen: metrics not published: \(failure)\n") }
            }
            try? eventsFile.close()
            return result
        }
        return Launched(engine: engine, files: files, result: result)
    }

    /// The CloudWatch publisher for `--metrics cloudwatch` (same credentials, region and profile).
    private func makeCloudWatchMetrics() throws -> CloudWatchMetrics? {
        guard command.metrics == .cloudwatch else { return nil }
        let settings = try AWSSettings.resolve(
            for: .cloudWatch, overrides: .init(profile: command.connection.profile, region: command.connection.region))
        let configuration = command.connection.transportConfiguration
        if let refusal = configuration.refusal(for: settings.endpoint) { throw CLIFailure.message(refusal.description) }
        let client = CloudWatchClient(settings: settings, transport: CurlTransport(configuration: configuration))
        return CloudWatchMetrics(clock: SystemClock()) { data in
            try await client.putMetricData(namespace: CloudWatchMetrics.namespace, data: data)
        }
    }

    /// This machine's name, as leases name it (`gethostname`, without a DNS lookup).
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
    }
}
