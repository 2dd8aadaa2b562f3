import ArgumentParser
import Foundation
import Logging
import PollenAWS
import PollenDynamoDB
import PollenHTTP
import Synchronization

/// The options every command takes to reach DynamoDB (CONTRACT section 3).
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("endpoint-url"), help: "DynamoDB endpoint (else AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL).")
    var endpointURL: String?

    @Option(help: "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region).")
    var region: String?

    @Option(help: "Profile in the shared credentials and config files (else AWS_PROFILE).")
    var profile: String?

    @Option(name: .customLong("table-prefix"), help: "Prefix for all six table names (else POLLEN_TABLE_PREFIX).")
    var tablePrefix: String?

    @Flag(name: .customLong("allow-insecure-endpoint"), help: "Allow plain http:// to a host other than loopback.")
    var allowInsecureEndpoint = false

    @Option(name: .customLong("log-level"), help: "Diagnostics on stderr: trace, debug, info, notice, warning, error.")
    var logLevel: String = "warning"

    func validate() throws {
        if Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error.")
        }
    }

    /// Sends swift-log's messages at `--log-level` and above to stderr (once per process).
    func bootstrapLogging() {
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        LoggingBootstrap.once {
            LoggingSystem.bootstrap { label in SanitizedLogHandler(label: label, logLevel: level) }
        }
    }

    /// The table prefix from the flag or `POLLEN_TABLE_PREFIX`.
    var resolvedTablePrefix: String {
        tablePrefix ?? ProcessInfo.processInfo.environment["POLLEN_TABLE_PREFIX"] ?? ""
    }

    func settings(environment: AWSEnvironment = .current) throws -> AWSSettings {
        try AWSSettings.resolve(for: .dynamoDB,
                                overrides: .init(profile: profile, region: region, endpointURL: endpointURL),
                                environment: environment)
    }

    var transportConfiguration: TransportConfiguration {
        TransportConfiguration(allowsInsecureRemoteHTTP: allowInsecureEndpoint)
    }

    /// A client for the resolved settings; refuses plain http to remote hosts up front.
    func makeClient(transport: (any HTTPTransport)? = nil) throws -> DynamoDBClient {
        bootstrapLogging()
        let logger = Logger(label: "pollen.dynamodb")
        let settings = try settings()
        let configuration = transportConfiguration
        if let refusal = configuration.refusal(for: settings.endpoint) {
            throw CLIFailure.message(refusal.description)
        }
        return DynamoDBClient(settings: settings, transport: transport ?? CurlTransport(configuration: configuration),
                              logger: logger)
    }
}

/// `LoggingSystem.bootstrap` may run only once per process.
enum LoggingBootstrap {
    private static let done = Mutex(false)

    static func once(_ bootstrap: () -> Void) {
        let first = done.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        if first { bootstrap() }
    }
}
