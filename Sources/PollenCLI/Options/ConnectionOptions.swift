import ArgumentParser
import Foundation
import Logging
import PollenAWS
import PollenDynamoDB
import PollenHTTP

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
    func makeClient(transport: (any HTTPTransport)? = nil, logger: Logger = Logger(label: "pollen.dynamodb")) throws -> DynamoDBClient {
        let settings = try settings()
        let configuration = transportConfiguration
        if let refusal = configuration.refusal(for: settings.endpoint) {
            throw CLIFailure.message(refusal.description)
        }
        return DynamoDBClient(settings: settings, transport: transport ?? CurlTransport(configuration: configuration),
                              logger: logger)
    }
}
