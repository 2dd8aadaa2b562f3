/// An AWS service as configuration and signing see it.
public struct AWSService: Sendable, Equatable {
    /// The SigV4 signing name (`dynamodb`, `monitoring`).
    public let signingName: String
    /// The first label of the public endpoint host.
    public let endpointPrefix: String
    /// The suffix of the service-specific endpoint variable, `AWS_ENDPOINT_URL_<suffix>`.
    public let endpointVariableSuffix: String

    public init(signingName: String, endpointPrefix: String, endpointVariableSuffix: String) {
        self.signingName = signingName
        self.endpointPrefix = endpointPrefix
        self.endpointVariableSuffix = endpointVariableSuffix
    }

    public static let dynamoDB = AWSService(signingName: "dynamodb", endpointPrefix: "dynamodb",
                                            endpointVariableSuffix: "DYNAMODB")
    public static let cloudWatch = AWSService(signingName: "monitoring", endpointPrefix: "monitoring",
                                              endpointVariableSuffix: "CLOUDWATCH")
}
