/// What an Alpha Vantage notice means for fetching. Every limit answer is HTTP 200 with an
/// `Information` (older: `Note`) text, so the words tell them apart
/// (`alphavantage-fields.md`, "Error and limit bodies").
public enum AlphaVantageNotice: Sendable, Equatable {
    /// The key's requests for the day are used up: stop fetching with it until tomorrow.
    case dailyLimit(String)
    /// Too many requests too close together (per second, or per minute on older plans):
    /// wait and retry within the budget.
    case burstLimit(String)
    /// The function needs a premium plan: fail it for this asset, do not retry.
    case premiumOnly(String)
    /// The key is invalid, missing or the demo key: nothing will work with it.
    case invalidKey(String)
    /// A notice of no known kind: retried like a burst limit, and logged with its text.
    case unknown(String)

    /// Classifies a notice's text. The burst notice also mentions the daily limit ("25
    /// requests per day") and "premium endpoints", so the burst wording is checked first.
    public static func classify(_ text: String) -> AlphaVantageNotice {
        let words = text.lowercased()
        func has(_ phrases: String...) -> Bool { phrases.contains { words.contains($0) } }
        if has("apikey is invalid or missing", "api key is invalid", "demo api key", "**demo** api key") {
            return .invalidKey(text)
        }
        if has("1 request per second", "spreading out", "per minute", "call frequency") { return .burstLimit(text) }
        if has("premium endpoint") { return .premiumOnly(text) }
        if has("per day", "daily rate limit", "daily limit") { return .dailyLimit(text) }
        return .unknown(text)
    }

    /// The notice's text (already cleaned of the key by the client).
    public var text: String {
        switch self {
        case .dailyLimit(let text), .burstLimit(let text), .premiumOnly(let text), .invalidKey(let text),
             .unknown(let text):
            return text
        }
    }
}
